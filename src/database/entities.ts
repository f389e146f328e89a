import { EmailToken } from '../core/auth/email-token.entity.js';
import { OwnerRefreshToken } from '../core/auth/owner-refresh-token.entity.js';
import { OutboxMessage } from '../core/mail/outbox-message.entity.js';
import { Organization } from '../core/organizations/organization.entity.js';
import { Owner } from '../core/owners/owner.entity.js';
import { RefreshToken } from '../tenant/auth/refresh-token.entity.js';
import { User } from '../tenant/users/user.entity.js';

/** Every entity of the control plane (core database). */
export const CORE_ENTITIES = [Owner, OwnerRefreshToken, EmailToken, OutboxMessage, Organization];

/** Every entity of the data plane (each tenant database). */
export const TENANT_ENTITIES = [User, RefreshToken];
