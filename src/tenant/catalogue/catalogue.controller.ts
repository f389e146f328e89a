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
import { ProductDto, SupplierDto, WarehouseDto } from './catalogue.response.js';
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
  response: ProductDto,
});

export const SupplierController = catalogueController({
  path: 'suppliers',
  tag: 'tenant: suppliers',
  service: SupplierService,
  create: CreateSupplierDto,
  update: UpdateSupplierDto,
  query: CatalogueQueryDto,
  response: SupplierDto,
});

export const WarehouseController = catalogueController({
  path: 'warehouses',
  tag: 'tenant: warehouses',
  service: WarehouseService,
  create: CreateWarehouseDto,
  update: UpdateWarehouseDto,
  query: CatalogueQueryDto,
  response: WarehouseDto,
});
