import { EmailToken } from './auth/email-token.entity.js';
import { OwnerRefreshToken } from './auth/owner-refresh-token.entity.js';
import { OutboxMessage } from './mail/outbox-message.entity.js';
import { TENANCY_CORE_ENTITIES } from '../tenancy/index.js';
import { Owner } from './owners/owner.entity.js';

/** Every entity of the control plane (core database). */
export const CORE_ENTITIES = [Owner, OwnerRefreshToken, EmailToken, OutboxMessage, ...TENANCY_CORE_ENTITIES];
