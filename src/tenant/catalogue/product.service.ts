import { SqlState, violatesConstraint } from '../../common/errors/postgres-errors.js';
import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { TenantConnectionManager } from '../../tenancy/index.js';
import { Product } from '../inventory/product.entity.js';
import { DomainErrors } from '../errors/domain.errors.js';
import { TenantSettings } from '../settings/tenant-settings.js';
import type { Actor } from '../audit/actor.js';
import { attachmentValues } from '../files/attachments.js';
import { FileService } from '../files/file.service.js';
import { ProductDto } from './catalogue.response.js';
import { CatalogueQuery, CatalogueService } from './catalogue.service.js';

@Injectable()
export class ProductService extends CatalogueService<Product, ProductDto> {
  constructor(
    tenant: TenantConnectionManager,
    private readonly settings: TenantSettings,
    private readonly files: FileService,
  ) {
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

  protected override async beforeWrite(m: EntityManager, values: Partial<Product>, creating: boolean) {
    if (creating) await this.settings.reserve(m, 'maxProducts');
    await this.files.mustExist(m, values.attachmentIds);
  }

  override create(actor: Actor, dto: Partial<Product> & { attachments?: string[] }): Promise<ProductDto> {
    return super.create(actor, attachmentValues(dto));
  }

  override update(
    actor: Actor,
    id: string,
    dto: Partial<Product> & { attachments?: string[] },
  ): Promise<ProductDto> {
    return super.update(actor, id, attachmentValues(dto));
  }

  protected view(record: Product): ProductDto {
    return ProductDto.from(record);
  }

  protected override filter(
    qb: SelectQueryBuilder<Product>,
    query: CatalogueQuery & { supplierId?: string; category?: string },
  ): void {
    if (query.supplierId) qb.andWhere('r.supplier_id = :supplierId', { supplierId: query.supplierId });
    if (query.category) qb.andWhere('r.category = :category', { category: query.category });
  }
}
