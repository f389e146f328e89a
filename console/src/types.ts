/** The operator API's replies, as the console reads them (docs/reference/api.md, "Operator routes"). */

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface PoolUse {
  open: number;
  inUse: number;
  idle: number;
  waiting: number;
}

export interface Server {
  name: string;
  host: string;
  pooler: string | null;
  status: string;
  capacity: number;
  tenants: number;
  connections: number | null;
  bytes: number | null;
  version: string | null;
  maxConnections: number | null;
  budget: number | null;
  pool: PoolUse | null;
}

export interface TenantRow {
  slug: string;
  name: string;
  ownerEmail: string | null;
  status: string;
  server: string;
  schemaVersion: string | null;
  createdAt: string;
  updatedAt: string;
  databaseBytes?: number | null;
  lastActivityAt?: string | null;
  requestsPerMinute?: number;
  p99Ms?: number | null;
  lastBackupAt?: string | null;
  lastVerifiedRestoreAt?: string | null;
}

export interface TenantPage {
  data: TenantRow[];
  nextCursor: string | null;
}

export interface HealthMinute {
  minute: string;
  requests: number;
  errors: number;
  p99Ms: number | null;
  p50Ms?: number | null;
  waits?: number;
}

export interface LastHour {
  requests: number;
  errors: number;
  limited: number;
  unavailable: number;
  waits: number;
  coldConnects: number;
  p50Ms: number | null;
  p99Ms: number | null;
  perMinute: HealthMinute[];
}

export interface RecentError {
  at: string;
  method: string;
  route: string;
  status: number;
  code: string | null;
}

export interface TenantDetail extends TenantRow {
  lastHour: LastHour;
  recentErrors?: RecentError[];
}

export interface MigrationRun {
  slug: string;
  from: string | null;
  to: string | null;
  result: 'migrated' | 'up-to-date' | 'failed';
  migrations: string[];
  ms: number;
  error?: string;
}

export interface Progress {
  tenants: number;
  migrated: number;
  upToDate: number;
  failed: number;
  /** No longer active when the wave reached them. */
  skipped?: number;
  pending: number;
}

export interface Wave extends Progress {
  index: number;
  name: string;
}

export interface FleetRun {
  id: string;
  status: 'running' | 'paused' | 'completed';
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  targetVersion: string | null;
  maxFailureRate: number;
  concurrency?: number;
  pausedReason: string | null;
  waves: Wave[];
  totals: Progress;
}

export interface FleetRunFailure {
  slug: string;
  /** The wave's name (`10%`), or its index. */
  wave: string | number;
  error: string | null;
  at: string | null;
}

export interface FleetRunDetail extends FleetRun {
  failures: FleetRunFailure[];
}

export interface Queue {
  name: string;
  queued: number;
  active: number;
  failed: number;
  completed: number;
}

export interface JobRun {
  id: string;
  queue: string;
  state: string;
  createdAt: string;
  completedAt: string | null;
  error: string | null;
}

export interface Jobs {
  queues: Queue[];
  recent: JobRun[];
}

/** RFC 9457 problem details, as every error reply of the service carries them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  message?: string;
  errors?: { field: string; message: string }[];
}
