import { randomUUID } from 'node:crypto';
import { EntityManager, EntityTarget, IsNull } from 'typeorm';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';
import { RefreshTokenColumns } from './refresh-token.columns.js';

export type RotationResult<S> =
  { outcome: 'rotated'; subjectId: S; token: string } | { outcome: 'reused' } | { outcome: 'invalid' };

/**
 * Opaque refresh tokens stored as SHA-256, rotated on every use. Presenting a token that was already
 * rotated revokes its whole family (the thief and the victim both lose the session).
 */
export class RefreshTokenStore<T extends RefreshTokenColumns> {
  constructor(
    private readonly entity: EntityTarget<T>,
    private readonly subjectKey: keyof T & string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(manager: EntityManager, subjectId: string, familyId: string = randomUUID()): Promise<string> {
    const { token, hash } = newOpaqueToken();
    await manager.insert(this.entity, {
      [this.subjectKey]: subjectId,
      familyId,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
    } as never);
    return token;
  }

  /** Must run inside a transaction: the row is locked so that two concurrent uses cannot both rotate. */
  async rotate(manager: EntityManager, token: string): Promise<RotationResult<string>> {
    const row = await manager.getRepository(this.entity).findOne({
      where: { tokenHash: hashOpaqueToken(token) } as never,
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) return { outcome: 'invalid' };
    if (row.rotatedAt) {
      await this.revokeFamily(manager, row.familyId);
      return { outcome: 'reused' };
    }
    if (row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { outcome: 'invalid' };
    await manager.update(this.entity, { id: row.id } as never, { rotatedAt: new Date() } as never);
    const subjectId = (row as unknown as Record<string, string>)[this.subjectKey];
    const next = await this.issue(manager, subjectId, row.familyId);
    return { outcome: 'rotated', subjectId, token: next };
  }

  /** The family a token belongs to, when it belongs to `subjectId`. */
  async familyOf(manager: EntityManager, token: string, subjectId: string): Promise<string | null> {
    const row = await manager.getRepository(this.entity).findOne({
      where: { tokenHash: hashOpaqueToken(token), [this.subjectKey]: subjectId } as never,
    });
    return row?.familyId ?? null;
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.update(
      this.entity,
      { familyId, revokedAt: IsNull() } as never,
      { revokedAt: new Date() } as never,
    );
  }

  async revokeAllOf(manager: EntityManager, subjectId: string): Promise<void> {
    await manager.update(
      this.entity,
      { [this.subjectKey]: subjectId, revokedAt: IsNull() } as never,
      {
        revokedAt: new Date(),
      } as never,
    );
  }
}
