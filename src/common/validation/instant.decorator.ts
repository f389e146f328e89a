import { ValidateBy, ValidationOptions, isISO8601 } from 'class-validator';

/**
 * A strict ISO-8601 date or date-time that exists (no 2026-02-30) in years 1..9999: everything Postgres
 * takes as a timestamptz, so a filter never reaches the database as an error.
 */
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string' || !isISO8601(value, { strict: true, strictSeparator: true })) return false;
  const year = Number(value.slice(0, 4));
  return /^\d{4}-/.test(value) && year >= 1 && !Number.isNaN(Date.parse(value));
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: isInstant,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an ISO-8601 date or date-time in the years 0001–9999`,
      },
    },
    options,
  );
}
