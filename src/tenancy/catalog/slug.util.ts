/** docs/reference/api.md: `^[a-z][a-z0-9-]{1,38}[a-z0-9]$`, and not a reserved word. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'app',
  'core',
  'docs',
  'health',
  'metrics',
  'postgres',
  'public',
  'root',
  'system',
  'template',
  'template0',
  'template1',
  'www',
  'tenantry',
]);

export function isValidSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG_PATTERN.test(value) && !RESERVED_SLUGS.has(value);
}

/** A slug proposal from an organization name: ASCII letters and digits, dashes between words. */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 34)
    .replace(/-+$/, '');
  return base.length >= 3 ? base : `org-${base}`.replace(/-+$/, '');
}
