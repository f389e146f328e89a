/** One wave of a fleet run: its number (0: the canaries), its label and its tenants, in order. */
export interface PlannedWave<T> {
  index: number;
  name: string;
  tenants: T[];
}

/**
 * Parses `--waves 1,10,50,100`: cumulative percentages of the tenants (after the canaries), increasing, each
 * in (0, 100]. A list that stops short of 100 gets 100 added, so a run always reaches every tenant.
 * Throws a message naming what is wrong.
 */
export function parseWaves(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  const bad = parts.filter(
    (p, i) => p === '' || !Number.isFinite(values[i]) || values[i] <= 0 || values[i] > 100,
  );
  if (bad.length > 0)
    throw new Error(`--waves takes percentages in (0, 100], got: ${bad.join(', ') || text}`);
  for (let i = 1; i < values.length; i++)
    if (values[i] <= values[i - 1])
      throw new Error(`--waves must increase: ${values[i - 1]} then ${values[i]}`);
  return values[values.length - 1] === 100 ? values : [...values, 100];
}

export function parseFailureRate(text: string): number {
  const rate = Number(text);
  if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new Error(`--max-failure-rate takes a number from 0 to 1, got: ${text}`);
  return rate;
}

/**
 * Splits tenants into waves: the canaries first (wave 0, when any), then each percentage of the rest,
 * cumulative (wave k ends at ceil(p_k × n / 100)). A wave left empty (few tenants) is dropped.
 */
export function planWaves<T>(
  tenants: T[],
  slugOf: (t: T) => string,
  percentages: number[],
  canaries: string[],
): PlannedWave<T>[] {
  const canarySet = new Set(canaries);
  const missing = canaries.filter((c) => !tenants.some((t) => slugOf(t) === c));
  if (missing.length > 0) throw new Error(`no such tenant among the run's: ${missing.join(', ')}`);
  const waves: PlannedWave<T>[] = [];
  const first = tenants.filter((t) => canarySet.has(slugOf(t)));
  if (first.length > 0) waves.push({ index: 0, name: 'canary', tenants: first });
  const rest = tenants.filter((t) => !canarySet.has(slugOf(t)));
  let from = 0;
  for (const p of percentages) {
    const to = Math.min(rest.length, Math.ceil((p * rest.length) / 100));
    if (to > from) waves.push({ index: waves.length, name: `${p}%`, tenants: rest.slice(from, to) });
    from = Math.max(from, to);
  }
  return waves;
}

/** Whether a wave's failures exceed the run's rate (rate 0: any failure does). */
export function overRate(failed: number, size: number, maxFailureRate: number): boolean {
  return size > 0 && failed / size > maxFailureRate;
}
