import { Injectable } from '@nestjs/common';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { Warehouse } from '../inventory/warehouse.entity.js';
import { WarehouseDto } from './catalogue.response.js';
import { CatalogueService } from './catalogue.service.js';

@Injectable()
export class WarehouseService extends CatalogueService<Warehouse, WarehouseDto> {
  constructor(tenant: TenantConnectionManager) {
    super(tenant, { entity: Warehouse, name: 'warehouse', searchColumns: ['name'] });
  }

  protected view(record: Warehouse): WarehouseDto {
    return WarehouseDto.from(record);
  }
}
