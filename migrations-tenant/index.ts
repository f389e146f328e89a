// Written by `migration:generate`; lists every migration of this folder, oldest first.
import { MigrationInterface } from 'typeorm';
import { CreateUsers1795343996405 } from './1795343996405-CreateUsers.js';
import { CreateRefreshTokens1795344477922 } from './1795344477922-CreateRefreshTokens.js';
import { CreateInventoryPurchasingItemsAudit1795346717172 } from './1795346717172-CreateInventoryPurchasingItemsAudit.js';
import { OwnerFlagSessionsAndEditors1795400000000 } from './1795400000000-OwnerFlagSessionsAndEditors.js';
import { LowStockFlags1795500000000 } from './1795500000000-LowStockFlags.js';
import { EventLog1795600000000 } from './1795600000000-EventLog.js';
import { FilesAndAttachments1795600000001 } from './1795600000001-FilesAndAttachments.js';
import { PurchaseDecisions1795700000000 } from './1795700000000-PurchaseDecisions.js';
import { AuditClientDetails1795700000001 } from './1795700000001-AuditClientDetails.js';
import { ProductDetails1795700000002 } from './1795700000002-ProductDetails.js';

export const TENANT_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateUsers1795343996405,
  CreateRefreshTokens1795344477922,
  CreateInventoryPurchasingItemsAudit1795346717172,
  OwnerFlagSessionsAndEditors1795400000000,
  LowStockFlags1795500000000,
  EventLog1795600000000,
  FilesAndAttachments1795600000001,
  PurchaseDecisions1795700000000,
  AuditClientDetails1795700000001,
  ProductDetails1795700000002,
];
