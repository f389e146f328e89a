/** A plain-text table for terminal reports: columns padded to their widest cell. */
export function formatTable(header: string[], rows: (string | number | null)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

/** Shortens a migration name for tables: `CreateRefreshTokens1795344477922` stays readable as is. */
export const versionOf = (name: string | null) => name ?? '(none)';
