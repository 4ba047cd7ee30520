/**
 * Splits a range partition bound as pg_get_expr prints it (`FOR VALUES FROM ('2024-01-01') TO
 * ('2024-02-01')`) into its literal values. The input is Postgres's own canonical output, so only its
 * forms need handling: quoted literals with '' escapes, bare numbers, MINVALUE and MAXVALUE.
 */
export function parsePartitionRange(bound: string): { from: string[]; to: string[] } | null {
  const match = /^FOR VALUES FROM \((.*)\) TO \((.*)\)$/s.exec(bound);
  if (!match) return null;
  return { from: splitValues(match[1]!), to: splitValues(match[2]!) };
}

function splitValues(list: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < list.length) {
    while (list[i] === ' ' || list[i] === ',') i++;
    if (i >= list.length) break;
    if (list[i] === "'") {
      let value = '';
      i++;
      while (i < list.length) {
        if (list[i] === "'" && list[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (list[i] === "'") {
          i++;
          break;
        } else {
          value += list[i++];
        }
      }
      // Skip a trailing cast such as ::date, which pg_get_expr may print.
      while (i < list.length && list[i] !== ',') i++;
      values.push(value);
    } else {
      const end = list.indexOf(',', i);
      values.push(list.slice(i, end === -1 ? undefined : end).trim());
      i = end === -1 ? list.length : end;
    }
  }
  return values;
}
