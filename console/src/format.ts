/** How the console writes numbers, sizes, durations and instants. */

const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : numbers.format(n);

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export const ms = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : `${num(n)} ms`;

export const percent = (part: number, whole: number): string =>
  whole > 0 ? `${numbers.format((100 * part) / whole)} %` : '—';

/** An instant as `2026-05-01 14:03:07` (local time), with the ISO value kept for a tooltip. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** How long ago: `just now`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

export function duration(fromIso: string, toIso: string | null): string {
  if (!toIso) return '—';
  const total = (new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000;
  if (!Number.isFinite(total) || total < 0) return '—';
  return total < 60 ? `${total.toFixed(1)} s` : `${Math.floor(total / 60)} min ${Math.round(total % 60)} s`;
}
