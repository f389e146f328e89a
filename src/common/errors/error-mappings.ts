import type { HttpMapping } from './app-error.js';

/**
 * Every owner's mapping in one, for what lists all codes (the OpenAPI Problem schema, the docs check). A code
 * claimed by two owners is refused: a client could not tell which one answered.
 */
export function composeErrorMappings(
  owners: Record<string, Readonly<Record<string, HttpMapping>>>,
): ReadonlyMap<string, HttpMapping> {
  const all = new Map<string, HttpMapping>();
  const ownerOf = new Map<string, string>();
  for (const [owner, mappings] of Object.entries(owners)) {
    for (const [code, mapping] of Object.entries(mappings)) {
      if (ownerOf.has(code))
        throw new Error(`error code ${code} is claimed by ${ownerOf.get(code)} and ${owner}`);
      ownerOf.set(code, owner);
      all.set(code, mapping);
    }
  }
  return all;
}
