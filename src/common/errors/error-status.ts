import { ErrorCode } from './error-code.js';

export interface HttpMapping {
  status: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
}

/** Seconds a client should wait after a 503 caused by the database or a connection budget. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** The HTTP face of every code. Exhaustive: a new code without a case here fails to compile. */
export function httpMappingOf(code: ErrorCode): HttpMapping {
  switch (code) {
    case ErrorCode.BAD_REQUEST:
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.WEAK_PASSWORD:
    case ErrorCode.MALFORMED_JSON:
    case ErrorCode.INVALID_CURSOR:
    case ErrorCode.TENANT_HEADER_MISSING:
    case ErrorCode.TENANT_HEADER_INVALID:
    case ErrorCode.INVALID_VERIFICATION_TOKEN:
    case ErrorCode.CONFIRMATION_MISMATCH:
      return { status: 400 };
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.INVALID_TOKEN:
    case ErrorCode.INVALID_REFRESH_TOKEN:
    case ErrorCode.REFRESH_TOKEN_REUSED:
      return { status: 401 };
    case ErrorCode.FORBIDDEN:
    case ErrorCode.TENANT_SUSPENDED:
    case ErrorCode.EMAIL_NOT_VERIFIED:
    case ErrorCode.QUOTA_EXCEEDED:
    case ErrorCode.FEATURE_DISABLED:
    case ErrorCode.SIGNED_URL_INVALID:
      return { status: 403 };
    case ErrorCode.FILE_TOO_LARGE:
      return { status: 413 };
    case ErrorCode.RANGE_NOT_SATISFIABLE:
      return { status: 416 };
    case ErrorCode.TENANT_NOT_FOUND:
    case ErrorCode.ORGANIZATION_NOT_FOUND:
    case ErrorCode.JOB_NOT_FOUND:
    case ErrorCode.FILE_NOT_FOUND:
    case ErrorCode.USER_NOT_FOUND:
    case ErrorCode.PRODUCT_NOT_FOUND:
    case ErrorCode.SUPPLIER_NOT_FOUND:
    case ErrorCode.WAREHOUSE_NOT_FOUND:
    case ErrorCode.ITEM_NOT_FOUND:
    case ErrorCode.AUDIT_LOG_NOT_FOUND:
    case ErrorCode.STOCK_MOVEMENT_NOT_FOUND:
    case ErrorCode.PURCHASE_REQUEST_NOT_FOUND:
      return { status: 404 };
    case ErrorCode.SLUG_TAKEN:
    case ErrorCode.EMAIL_TAKEN:
    case ErrorCode.SKU_TAKEN:
    case ErrorCode.INSUFFICIENT_STOCK:
    case ErrorCode.INVALID_TRANSITION:
    case ErrorCode.SELF_APPROVAL:
    case ErrorCode.QUANTITY_OUT_OF_RANGE:
    case ErrorCode.OWNER_PROTECTED:
    case ErrorCode.LAST_ADMIN:
      return { status: 409 };
    case ErrorCode.RATE_LIMITED:
      return { status: 429, retryAfterSeconds: 60 };
    case ErrorCode.SERVICE_UNAVAILABLE:
      return { status: 503, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS };
    case ErrorCode.TENANT_NOT_READY:
    case ErrorCode.PROVISIONING_FAILED:
      return { status: 503, retryAfterSeconds: 5 };
    default:
      return unreachable(code);
  }
}

function unreachable(code: never): never {
  throw new Error(`No HTTP status for error code ${String(code)}`);
}
