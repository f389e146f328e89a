import { Inject, Injectable } from '@nestjs/common';
import { SignedLinks } from '../../common/crypto/signed-link.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/**
 * The service's own signed file URLs (local disk store): `/signed-files/<file id>?t=<tenant id>&e=<expiry>
 * &s=<mac>`, under a key derived from the tenant JWT secret for this purpose only (common/crypto/signed-link).
 */
@Injectable()
export class FileUrlSigner extends SignedLinks {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.jwt.tenantSecret, 'file-url');
  }
}
