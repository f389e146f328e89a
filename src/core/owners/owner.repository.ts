import { cutOffNow } from '../../common/crypto/session-cutoff.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Owner } from './owner.entity.js';

/** The only place that queries `owners`. */
@Injectable()
export class OwnerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(Owner);
  }

  findById(id: string, manager?: EntityManager): Promise<Owner | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByEmail(email: string, manager?: EntityManager): Promise<Owner | null> {
    return this.repo(manager).findOneBy({ email });
  }

  /** Inserts an owner; resolves null when the email is already taken. */
  async insert(
    manager: EntityManager,
    owner: Pick<Owner, 'email' | 'name' | 'passwordHash'>,
  ): Promise<Owner | null> {
    const rows = await manager
      .createQueryBuilder()
      .insert()
      .into(Owner)
      .values(owner)
      .orIgnore()
      .returning('*')
      .execute();
    if (rows.raw.length === 0) return null;
    return this.repo(manager).create({
      ...owner,
      id: rows.raw[0].id,
      emailVerifiedAt: null,
      createdAt: rows.raw[0].created_at,
      updatedAt: rows.raw[0].updated_at,
    });
  }

  async markVerified(manager: EntityManager, id: string): Promise<void> {
    await this.repo(manager).update({ id }, {
      emailVerifiedAt: () => 'COALESCE(email_verified_at, now())',
    } as never);
  }

  /** A new password; the access tokens issued before it stop counting. */
  async setPasswordHash(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await this.repo(manager).update({ id }, { passwordHash, tokensValidAfter: cutOffNow() });
  }

  /** The owner's access tokens issued before now stop counting (logout). */
  async cutOffTokens(manager: EntityManager, id: string): Promise<void> {
    await this.repo(manager).update({ id }, { tokensValidAfter: cutOffNow() });
  }
}
