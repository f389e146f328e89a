import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { SignedLinks } from './signed-link.js';

/** How long an export's download link works once the owner has been given it. */
export const EXPORT_LINK_SECONDS = 15 * 60;

/**
 * Links to an organization's export archive: `/api/v1/exports/signed/<export id>?t=…&e=…&s=…`, signed by the
 * owner's status request (core) and checked by the download route (data plane), under a key of their own.
 */
@Injectable()
export class ExportLinks extends SignedLinks {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(config.jwt.tenantSecret, 'export-link');
  }

  /** The absolute path of a fresh link to the archive, and when it stops working. */
  link(tenantId: string, exportId: string, now = Date.now()): { url: string; expiresAt: Date } {
    const expiresAt = new Date(now + EXPORT_LINK_SECONDS * 1000);
    return {
      url: `/api/v1/exports/signed/${this.sign({ tenantId, objectId: exportId }, expiresAt)}`,
      expiresAt,
    };
  }
}
