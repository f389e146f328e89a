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
  tag: 'Products',
  one: 'Product',
  many: 'Products',
  notFound: 'PRODUCT_NOT_FOUND',
  // A supplier or an attachment that does not exist.
  writeCodes: ['SKU_TAKEN', 'SUPPLIER_NOT_FOUND', 'FILE_NOT_FOUND'],
  service: ProductService,
  create: CreateProductDto,
  update: UpdateProductDto,
  query: ProductQueryDto,
  response: ProductDto,
});

export const SupplierController = catalogueController({
  path: 'suppliers',
  tag: 'Suppliers',
  one: 'Supplier',
  many: 'Suppliers',
  notFound: 'SUPPLIER_NOT_FOUND',
  writeCodes: [],
  service: SupplierService,
  create: CreateSupplierDto,
  update: UpdateSupplierDto,
  query: CatalogueQueryDto,
  response: SupplierDto,
});

export const WarehouseController = catalogueController({
  path: 'warehouses',
  tag: 'Warehouses',
  one: 'Warehouse',
  many: 'Warehouses',
  notFound: 'WAREHOUSE_NOT_FOUND',
  writeCodes: [],
  service: WarehouseService,
  create: CreateWarehouseDto,
  update: UpdateWarehouseDto,
  query: CatalogueQueryDto,
  response: WarehouseDto,
});
