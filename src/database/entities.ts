import { EmailToken } from '../core/auth/email-token.entity.js';
import { OwnerRefreshToken } from '../core/auth/owner-refresh-token.entity.js';
import { OutboxMessage } from '../core/mail/outbox-message.entity.js';
import { Organization } from '../tenancy/organization.entity.js';
import { Owner } from '../core/owners/owner.entity.js';
import { RefreshToken } from '../tenant/auth/refresh-token.entity.js';
import { AuditLog } from '../tenant/audit/audit-log.entity.js';
import { Product } from '../tenant/inventory/product.entity.js';
import { StockLevel } from '../tenant/inventory/stock-level.entity.js';
import { StockMovement } from '../tenant/inventory/stock-movement.entity.js';
import { Supplier } from '../tenant/inventory/supplier.entity.js';
import { Warehouse } from '../tenant/inventory/warehouse.entity.js';
import { Item } from '../tenant/items/item.entity.js';
import { Counter } from '../tenant/purchasing/counter.entity.js';
import { PurchaseRequestLine } from '../tenant/purchasing/purchase-request-line.entity.js';
import { PurchaseRequest } from '../tenant/purchasing/purchase-request.entity.js';
import { User } from '../tenant/users/user.entity.js';

/** Every entity of the control plane (core database). */
export const CORE_ENTITIES = [Owner, OwnerRefreshToken, EmailToken, OutboxMessage, Organization];

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
];
