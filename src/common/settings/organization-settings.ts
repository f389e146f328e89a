import type { AppConfig } from '../../config/app-config.js';

export const LIMIT_KEYS = [
  'maxUsers',
  'maxProducts',
  'maxItems',
  'maxStorageBytes',
  'requestsPerSecond',
] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
/** The limits that count rows of the tenant's database. */
export type CountedLimit = Exclude<LimitKey, 'maxStorageBytes' | 'requestsPerSecond'>;
export const FEATURE_KEYS = ['purchasing', 'items', 'files'] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];

/** An organization's settings as the contract shows them: a limit of null is unlimited. */
export interface OrganizationSettings {
  limits: Record<LimitKey, number | null>;
  features: Record<FeatureKey, boolean>;
}

/** What the catalog row stores: overrides only (absent: the environment's default). */
export interface StoredSettings {
  limits?: Partial<Record<LimitKey, number | null>>;
  features?: Partial<Record<FeatureKey, boolean>>;
}

/** The settings in force: the stored overrides over the environment's defaults (features default on). */
export function effectiveSettings(
  stored: StoredSettings | Record<string, unknown>,
  defaults: AppConfig['tenantDefaults'],
): OrganizationSettings {
  const s = stored as StoredSettings;
  const limits = {} as Record<LimitKey, number | null>;
  for (const key of LIMIT_KEYS) {
    const own = s.limits?.[key];
    limits[key] = own === undefined ? defaults[key] : own;
  }
  const features = {} as Record<FeatureKey, boolean>;
  for (const key of FEATURE_KEYS) features[key] = s.features?.[key] ?? true;
  return { limits, features };
}

/** A partial update merged into the stored overrides. */
export function mergeSettings(stored: StoredSettings, patch: StoredSettings): StoredSettings {
  const given = <T extends object>(part: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    limits: { ...stored.limits, ...given(patch.limits) },
    features: { ...stored.features, ...given(patch.features) },
  };
}
