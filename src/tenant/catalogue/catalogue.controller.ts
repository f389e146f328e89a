import {
  CatalogueQueryDto,
  CreateProductDto,
  CreateSupplierDto,
  CreateWarehouseDto,
  ProductQueryDto,
  UpdateProductDto,
  UpdateSupplierDto,
  UpdateWarehouseDto,
} from './catalogue.dto.js';
import { catalogueController } from './catalogue-controller.factory.js';
import { ProductService } from './product.service.js';
import { SupplierService } from './supplier.service.js';
import { WarehouseService } from './warehouse.service.js';

export const ProductController = catalogueController({
  path: 'products',
  tag: 'tenant: products',
  service: ProductService,
  create: CreateProductDto,
  update: UpdateProductDto,
  query: ProductQueryDto,
});

export const SupplierController = catalogueController({
  path: 'suppliers',
  tag: 'tenant: suppliers',
  service: SupplierService,
  create: CreateSupplierDto,
  update: UpdateSupplierDto,
  query: CatalogueQueryDto,
});

export const WarehouseController = catalogueController({
  path: 'warehouses',
  tag: 'tenant: warehouses',
  service: WarehouseService,
  create: CreateWarehouseDto,
  update: UpdateWarehouseDto,
  query: CatalogueQueryDto,
});
