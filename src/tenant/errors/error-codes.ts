import { AppError, type ErrorMappings, type HttpMapping } from '../../common/errors/app-error.js';

/** The tenant domain's own codes: its records, its rules, its files and features. */
export enum DomainErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  PRODUCT_NOT_FOUND = 'PRODUCT_NOT_FOUND',
  SUPPLIER_NOT_FOUND = 'SUPPLIER_NOT_FOUND',
  WAREHOUSE_NOT_FOUND = 'WAREHOUSE_NOT_FOUND',
  ITEM_NOT_FOUND = 'ITEM_NOT_FOUND',
  AUDIT_LOG_NOT_FOUND = 'AUDIT_LOG_NOT_FOUND',
  STOCK_MOVEMENT_NOT_FOUND = 'STOCK_MOVEMENT_NOT_FOUND',
  PURCHASE_REQUEST_NOT_FOUND = 'PURCHASE_REQUEST_NOT_FOUND',
  FILE_NOT_FOUND = 'FILE_NOT_FOUND',
  SKU_TAKEN = 'SKU_TAKEN',
  INSUFFICIENT_STOCK = 'INSUFFICIENT_STOCK',
  SELF_APPROVAL = 'SELF_APPROVAL',
  QUANTITY_OUT_OF_RANGE = 'QUANTITY_OUT_OF_RANGE',
  OWNER_PROTECTED = 'OWNER_PROTECTED',
  LAST_ADMIN = 'LAST_ADMIN',
  FEATURE_DISABLED = 'FEATURE_DISABLED',
  SIGNED_URL_INVALID = 'SIGNED_URL_INVALID',
  FILE_TOO_LARGE = 'FILE_TOO_LARGE',
  RANGE_NOT_SATISFIABLE = 'RANGE_NOT_SATISFIABLE',
}

export const DOMAIN_ERRORS: ErrorMappings<DomainErrorCode> = {
  FEATURE_DISABLED: { status: 403 },
  SIGNED_URL_INVALID: { status: 403 },
  USER_NOT_FOUND: { status: 404 },
  PRODUCT_NOT_FOUND: { status: 404 },
  SUPPLIER_NOT_FOUND: { status: 404 },
  WAREHOUSE_NOT_FOUND: { status: 404 },
  ITEM_NOT_FOUND: { status: 404 },
  AUDIT_LOG_NOT_FOUND: { status: 404 },
  STOCK_MOVEMENT_NOT_FOUND: { status: 404 },
  PURCHASE_REQUEST_NOT_FOUND: { status: 404 },
  FILE_NOT_FOUND: { status: 404 },
  SKU_TAKEN: { status: 409 },
  INSUFFICIENT_STOCK: { status: 409 },
  SELF_APPROVAL: { status: 409 },
  QUANTITY_OUT_OF_RANGE: { status: 409 },
  OWNER_PROTECTED: { status: 409 },
  LAST_ADMIN: { status: 409 },
  FILE_TOO_LARGE: { status: 413 },
  RANGE_NOT_SATISFIABLE: { status: 416 },
};

export class DomainError extends AppError<DomainErrorCode> {
  get http(): HttpMapping {
    return DOMAIN_ERRORS[this.code];
  }
}
