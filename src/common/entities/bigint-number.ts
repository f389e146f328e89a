import type { ValueTransformer } from 'typeorm';

/**
 * A `bigint` column read as a JavaScript number (pg returns bigint as a string). For columns whose values
 * validation keeps far inside Number.MAX_SAFE_INTEGER (money in cents up to 10^12), so exact.
 */
export const BIGINT_AS_NUMBER: ValueTransformer = {
  from: (value: string | null) => (value === null ? null : Number(value)),
  to: (value: number | null | undefined) => value,
};
