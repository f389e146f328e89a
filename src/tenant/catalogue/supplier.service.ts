import { Injectable } from '@nestjs/common';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { Supplier } from '../inventory/supplier.entity.js';
import { SupplierDto } from './catalogue.response.js';
import { CatalogueService } from './catalogue.service.js';

@Injectable()
export class SupplierService extends CatalogueService<Supplier, SupplierDto> {
  constructor(tenant: TenantConnectionManager) {
    super(tenant, { entity: Supplier, name: 'supplier', searchColumns: ['name'] });
  }

  protected view(record: Supplier): SupplierDto {
    return SupplierDto.from(record);
  }
}
