import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../jobs/job-registry.js';
import { TenantMover } from '../tenancy/index.js';

/** The `move` job's tenant part: an operator's move of a tenant to another server (TenantMover; online or not). */
@Injectable()
export class TenantMoveJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly mover: TenantMover,
  ) {}

  onModuleInit(): void {
    this.registry.define('move', {
      tenant: async (tenant, data) => {
        const result = await this.mover.move(tenant.slug, String(data.to), undefined, data.online === true);
        return { ...result };
      },
    });
  }
}
