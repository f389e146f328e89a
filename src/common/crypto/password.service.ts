import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

/** bcrypt reads at most 72 bytes; longer inputs are rejected by the DTOs rather than silently truncated. */
export const BCRYPT_MAX_BYTES = 72;

@Injectable()
export class PasswordService {
  /** Compared against when the account does not exist, so that both paths cost one bcrypt comparison. */
  private readonly decoy: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.decoy = bcrypt.hash('decoy-password-for-constant-time', config.bcryptRounds);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptRounds);
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const ok = await bcrypt.compare(password, hash ?? (await this.decoy));
    return ok && hash !== undefined;
  }
}
