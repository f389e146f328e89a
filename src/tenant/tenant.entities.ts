import { StoredFile } from './files/stored-file.entity.js';
import { EventRecord } from './events/event.entity.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { AuditLog } from './audit/audit-log.entity.js';
import { Product } from './inventory/product.entity.js';
import { StockLevel } from './inventory/stock-level.entity.js';
import { StockMovement } from './inventory/stock-movement.entity.js';
import { Supplier } from './inventory/supplier.entity.js';
import { Warehouse } from './inventory/warehouse.entity.js';
import { Item } from './items/item.entity.js';
import { Counter } from './purchasing/counter.entity.js';
import { PurchaseRequestLine } from './purchasing/purchase-request-line.entity.js';
import { PurchaseRequest } from './purchasing/purchase-request.entity.js';
import { User } from './identity/user.entity.js';

/** Every entity of the data plane (each tenant database). */
export const TENANT_ENTITIES = [
  User,
  RefreshToken,
  Supplier,
  Warehouse,
  Product,
  StockLevel,
  StockMovement,
  PurchaseRequest,
  PurchaseRequestLine,
  Counter,
  Item,
  AuditLog,
  EventRecord,
  StoredFile,
];
