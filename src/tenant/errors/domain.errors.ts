import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';

const NOT_FOUND = {
  product: ErrorCode.PRODUCT_NOT_FOUND,
  supplier: ErrorCode.SUPPLIER_NOT_FOUND,
  warehouse: ErrorCode.WAREHOUSE_NOT_FOUND,
  item: ErrorCode.ITEM_NOT_FOUND,
  audit_log: ErrorCode.AUDIT_LOG_NOT_FOUND,
  stock_movement: ErrorCode.STOCK_MOVEMENT_NOT_FOUND,
  purchase_request: ErrorCode.PURCHASE_REQUEST_NOT_FOUND,
} as const;

/** The records of the tenant domain that a route can look up by id. */
export type DomainRecord = keyof typeof NOT_FOUND;

/** Expected failures of the tenant business domain. */
export const DomainErrors = {
  notFound: (record: DomainRecord): AppError =>
    new AppError(NOT_FOUND[record], `No such ${record.replace(/_/g, ' ')}.`),
  skuTaken: (): AppError => new AppError(ErrorCode.SKU_TAKEN, 'A product with this SKU already exists.'),
  insufficientStock: (available: number): AppError =>
    new AppError(ErrorCode.INSUFFICIENT_STOCK, `Not enough stock: ${available} available.`),
  invalidTransition: (from: string, to: string): AppError =>
    new AppError(ErrorCode.INVALID_TRANSITION, `A purchase request that is ${from} cannot be ${to}.`),
  quantityOutOfRange: (): AppError =>
    new AppError(ErrorCode.QUANTITY_OUT_OF_RANGE, 'The stock level would leave the range it can hold.'),
  selfApproval: (): AppError =>
    new AppError(ErrorCode.SELF_APPROVAL, 'The requester cannot approve their own request.'),
  invalid: (message: string): AppError => new AppError(ErrorCode.VALIDATION_FAILED, message),
  invalidCursor: (): AppError =>
    new AppError(ErrorCode.INVALID_CURSOR, 'The cursor is not one this API returned.'),
};
