import { AppError } from '../../common/errors/app-error.js';
import { DomainError, DomainErrorCode } from './error-codes.js';
import { CommonError, CommonErrorCode } from '../../common/errors/error-code.js';

const NOT_FOUND = {
  product: DomainErrorCode.PRODUCT_NOT_FOUND,
  supplier: DomainErrorCode.SUPPLIER_NOT_FOUND,
  warehouse: DomainErrorCode.WAREHOUSE_NOT_FOUND,
  item: DomainErrorCode.ITEM_NOT_FOUND,
  audit_log: DomainErrorCode.AUDIT_LOG_NOT_FOUND,
  stock_movement: DomainErrorCode.STOCK_MOVEMENT_NOT_FOUND,
  purchase_request: DomainErrorCode.PURCHASE_REQUEST_NOT_FOUND,
} as const;

/** The records of the tenant domain that a route can look up by id. */
export type DomainRecord = keyof typeof NOT_FOUND;

/** Expected failures of the tenant business domain. */
export const DomainErrors = {
  notFound: (record: DomainRecord): AppError =>
    new DomainError(NOT_FOUND[record], `No such ${record.replace(/_/g, ' ')}.`),
  skuTaken: (): AppError =>
    new DomainError(DomainErrorCode.SKU_TAKEN, 'A product with this SKU already exists.'),
  insufficientStock: (available: number): AppError =>
    new DomainError(DomainErrorCode.INSUFFICIENT_STOCK, `Not enough stock: ${available} available.`),
  invalidTransition: (from: string, to: string): AppError =>
    new CommonError(
      CommonErrorCode.INVALID_TRANSITION,
      `A purchase request that is ${from} cannot be ${to}.`,
    ),
  quantityOutOfRange: (): AppError =>
    new DomainError(
      DomainErrorCode.QUANTITY_OUT_OF_RANGE,
      'The stock level would leave the range it can hold.',
    ),
  selfApproval: (): AppError =>
    new DomainError(DomainErrorCode.SELF_APPROVAL, 'The requester cannot approve their own request.'),
  invalid: (message: string): AppError => new CommonError(CommonErrorCode.VALIDATION_FAILED, message),
};
