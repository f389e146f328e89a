import { SqlState, violatesConstraint } from '../../common/errors/postgres-errors.js';
import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { TenantConnectionManager } from '../../tenancy/tenant-connection.manager.js';
import { Product } from '../inventory/product.entity.js';
import { DomainErrors } from '../domain.errors.js';
import { CatalogueQuery, CatalogueService } from './catalogue.service.js';

export type ProductView = Omit<Product, 'priceCents' | 'supplier'> & { priceCents: number };

@Injectable()
export class ProductService extends CatalogueService<Product, ProductView> {
  constructor(tenant: TenantConnectionManager) {
    super(tenant, {
      entity: Product,
      name: 'product',
      searchColumns: ['name', 'sku'],
      mapError: (err) => {
        if (violatesConstraint(err, SqlState.UNIQUE_VIOLATION, 'UQ_products_sku'))
          return DomainErrors.skuTaken();
        if (violatesConstraint(err, SqlState.FOREIGN_KEY_VIOLATION, 'FK_products_supplier'))
          return DomainErrors.notFound('supplier');
        return undefined;
      },
    });
  }

  /** bigint comes back from pg as a string; minor units fit a JS number exactly up to 2^53. */
  protected view(record: Product): ProductView {
    return { ...record, priceCents: Number(record.priceCents) };
  }

  protected override filter(
    qb: SelectQueryBuilder<Product>,
    query: CatalogueQuery & { supplierId?: string },
  ): void {
    if (query.supplierId) qb.andWhere('r.supplier_id = :supplierId', { supplierId: query.supplierId });
  }
}
