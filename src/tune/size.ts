/**
 * Memory sizes for `tune`, kept in kB: the unit Postgres reports most memory settings in, and the one
 * pgtune computes in. Printing uses the largest unit that loses nothing, as postgresql.conf accepts it.
 */

export const KB_PER_MB = 1024;
export const KB_PER_GB = 1024 * 1024;

/** `4GB`, `512MB`, `20165kB`: the largest of GB, MB and kB that divides the value exactly. */
export function formatKb(kb: number): string {
  if (kb !== 0 && kb % KB_PER_GB === 0) return `${kb / KB_PER_GB}GB`;
  if (kb !== 0 && kb % KB_PER_MB === 0) return `${kb / KB_PER_MB}MB`;
  return `${kb}kB`;
}

/** A size for people: `1.5 GB`, `830 kB` (rounded; not for configuration files). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/\.?0+$/, '')} ${units[unit]}`;
}

const UNIT_KB: Record<string, number> = { k: 1, kb: 1, kib: 1, m: KB_PER_MB, mb: KB_PER_MB, mib: KB_PER_MB, g: KB_PER_GB, gb: KB_PER_GB, gib: KB_PER_GB, t: KB_PER_GB * 1024, tb: KB_PER_GB * 1024, tib: KB_PER_GB * 1024 };

/**
 * `16GB`, `16 GB`, `16G`, `1.5GB`, `512MB`, `2TB` (binary units, as Postgres reads them) in kB, or null
 * when the text is not a size with a unit: a bare number is refused, since 16 could mean GB or bytes.
 */
export function parseSizeKb(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt](?:i?b)?)$/i.exec(text.trim());
  if (!match) return null;
  const kb = Math.floor(Number(match[1]) * UNIT_KB[match[2]!.toLowerCase()]!);
  return kb > 0 ? kb : null;
}

/**
 * A memory setting as pg_settings gives it (`setting` in units of `unit`: `8kB`, `kB`, `MB`, `B`) in kB;
 * null when the unit is not a memory unit or the value is negative (-1: automatic or unset).
 */
export function settingKb(setting: string, unit: string | null): number | null {
  if (!unit) return null;
  const match = /^(\d*)\s*(B|kB|MB|GB|TB)$/.exec(unit);
  if (!match) return null;
  const value = Number(setting);
  if (!Number.isFinite(value) || value < 0) return null;
  const multiple = match[1] ? Number(match[1]) : 1;
  const perUnit = { B: 1 / 1024, kB: 1, MB: KB_PER_MB, GB: KB_PER_GB, TB: KB_PER_GB * 1024 }[match[2] as 'B' | 'kB' | 'MB' | 'GB' | 'TB'];
  return Math.floor(value * multiple * perUnit);
}
