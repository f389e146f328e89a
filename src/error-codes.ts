import { COMMON_ERRORS } from './common/errors/error-code.js';
import { composeErrorMappings } from './common/errors/error-mappings.js';
import { CORE_ERRORS } from './core/errors/core.errors.js';
import { TENANCY_ERRORS } from './tenancy/index.js';
import { DOMAIN_ERRORS } from './tenant/errors/error-codes.js';
import { OPERATOR_ERRORS } from './operator/operator.errors.js';

/** Every code an error reply of the service can carry, by its owner (docs/reference/api.md, "Errors"). */
export const ERROR_MAPPINGS = composeErrorMappings({
  common: COMMON_ERRORS,
  engine: TENANCY_ERRORS,
  core: CORE_ERRORS,
  domain: DOMAIN_ERRORS,
  operator: OPERATOR_ERRORS,
});
