import { stringify, type Options, type Stringifier } from 'csv-stringify';

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that could start a formula is prefixed with `'`, which spreadsheets show but never evaluate. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** csv-stringify with formula neutralisation: what every CSV export of the service uses. */
export function safeCsv(options: Options): Stringifier {
  return stringify({ ...options, cast: { ...options.cast, string: neutraliseFormula } });
}
