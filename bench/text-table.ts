/**
 * Plain-text tables for benchmark reports: first column left-aligned, the others right-aligned, a rule
 * under the header. Pure: rows in, text out.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** 12,345 */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 1,234 ms */
export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : count(value)} ms`;
}

/** 123.4 MB (from KiB, as process.resourceUsage().maxRSS gives it) */
export function megabytesFromKiB(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MB`;
}

/** 9.87× */
export function ratio(a: number, b: number): string {
  return b === 0 ? '-' : `${(a / b).toFixed(2)}×`;
}
