import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { issuedAtMs } from '../../common/crypto/session-cutoff.js';
import { UUID } from '../../common/ids/uuid.js';
import { type TenantRequest } from '../../tenancy/index.js';
import { ActiveUserReader, type SessionUser } from '../identity/active-user.reader.js';
import { TenantAuthErrors } from './tenant-auth.errors.js';
import { TenantTokenVerifier } from './tenant-token.verifier.js';

/** What the guard leaves on the request: the user, and the token's issue and expiry instants (seconds). */
export interface AuthenticatedRequest {
  user?: SessionUser;
  token?: { issuedAt: number; expiresAt: number };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Requires a tenant access token of the tenant the request names (key, `aud`, `iss`, `typ`, `tid`, `exp`)
 * whose user is still active. A token problem is 401 INVALID_TOKEN; a database that cannot answer is not
 * a token problem and leaves as 503 (docs/reference/api.md, "Errors").
 */
@Injectable()
export class TenantAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TenantTokenVerifier,
    private readonly users: ActiveUserReader,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest & AuthenticatedRequest>();
    const tenant = request.tenant;
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!tenant || !token) throw TenantAuthErrors.invalidToken();
    const payload = this.verifier.verify(token, tenant.id);
    if (!payload || !UUID.test(payload.sub)) throw TenantAuthErrors.invalidToken();
    const user = await this.users.find(tenant, payload.sub, issuedAtMs(payload) / 1000);
    if (!user) throw TenantAuthErrors.invalidToken();
    request.user = user;
    request.token = { issuedAt: issuedAtMs(payload) / 1000, expiresAt: payload.exp };
    return true;
  }
}
