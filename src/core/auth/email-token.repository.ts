import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hashOpaqueToken, newOpaqueToken } from '../../common/crypto/opaque-token.js';
import { EmailToken, EmailTokenPurpose } from './email-token.entity.js';

const TTL_MS: Record<EmailTokenPurpose, number> = {
  'verify-email': 24 * 3600_000,
  'reset-password': 3600_000,
};

/** Single-use mailed tokens. */
@Injectable()
export class EmailTokenRepository {
  /** Issues a token; the plain value goes into the mail only. */
  async issue(manager: EntityManager, ownerId: string, purpose: EmailTokenPurpose): Promise<string> {
    const { token, hash } = newOpaqueToken();
    await manager.insert(EmailToken, {
      ownerId,
      purpose,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + TTL_MS[purpose]),
    });
    return token;
  }

  /** Marks the token used and returns its owner id, atomically; null when unknown, expired or used. */
  async consume(manager: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const result = await manager
      .createQueryBuilder()
      .update(EmailToken)
      .set({ usedAt: () => 'now()' })
      .where('token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > now()', {
        hash: hashOpaqueToken(token),
        purpose,
      })
      .returning(['ownerId'])
      .execute();
    return result.raw[0]?.owner_id ?? null;
  }

  /** Every still-usable token of this owner and purpose stops working (a reset used: older ones die). */
  async invalidateAll(manager: EntityManager, ownerId: string, purpose: EmailTokenPurpose): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(EmailToken)
      .set({ usedAt: () => 'now()' })
      .where('owner_id = :ownerId AND purpose = :purpose AND used_at IS NULL', { ownerId, purpose })
      .execute();
  }
}
