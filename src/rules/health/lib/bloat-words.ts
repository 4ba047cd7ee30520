/** What the two bloat checks say about how the figures were obtained. */
import type { BloatReading } from '../../../health/facts.js';
import { count, plural } from './words.js';

export function bloatExamined(reading: BloatReading, noun: 'table' | 'B-tree index'): string {
  const nouns = noun === 'table' ? 'tables' : 'B-tree indexes';
  if (reading.method === 'pgstattuple') return `${plural(reading.relations.length, noun, nouns)} of 1 MB or more measured with pgstattuple (each one read in full)`;
  const missing = reading.notEstimated.length;
  return `${plural(reading.relations.length, noun, nouns)} estimated from statistics${missing ? ` (${count(missing)} not estimated: no statistics, never analysed or not readable by this role)` : ''}`;
}

export function methodText(reading: BloatReading): string {
  return reading.method === 'pgstattuple' ? 'measured with pgstattuple' : 'estimated from statistics';
}
