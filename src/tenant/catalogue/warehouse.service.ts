import { Injectable } from '@nestjs/common';
import { TenantConnectionManager } from '../../tenancy/tenant-connection.manager.js';
import { Warehouse } from '../inventory/warehouse.entity.js';
import { CatalogueService } from './catalogue.service.js';

@Injectable()
export class WarehouseService extends CatalogueService<Warehouse, Warehouse> {
  constructor(tenant: TenantConnectionManager) {
    super(tenant, { entity: Warehouse, name: 'warehouse', searchColumns: ['name'] });
  }

  protected view(record: Warehouse): Warehouse {
    return record;
  }
}
