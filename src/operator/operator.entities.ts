import { OperatorAction } from './operator-action.entity.js';
import { OperatorRefreshToken } from './operator-refresh-token.entity.js';
import { Operator } from './operator.entity.js';
import { TenantActivity } from './health/tenant-activity.entity.js';
import { TenantHealthMinute } from './health/tenant-health-minute.entity.js';
import { TenantRecentError } from './health/tenant-recent-error.entity.js';

/** The operator plane's own tables in the core database. */
export const OPERATOR_ENTITIES = [
  Operator,
  OperatorRefreshToken,
  OperatorAction,
  TenantHealthMinute,
  TenantActivity,
  TenantRecentError,
];
