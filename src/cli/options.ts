/** Option parsers shared by the fleet commands. */

/** `--tenant <slug>` (repeatable): collects every value. */
export function collectSlugs(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--concurrency <n>`: an integer from 1 to 64. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error('--concurrency must be an integer from 1 to 64');
  return n;
}
