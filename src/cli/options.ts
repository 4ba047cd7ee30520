/** Option values every command parses the same way. */
import { UserError } from '../errors.js';

export function parseChoice<T extends string>(value: string, choices: readonly T[], flag: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${flag}: "${value}" is not one of ${choices.join(', ')}`);
}

export function parseMs(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\s*(ms|s|min)?$/.exec(value.trim());
  if (!match) throw new UserError(`${flag}: "${value}" is not a duration`, 'use milliseconds or a unit: 500ms, 30s, 2min');
  const n = Number(match[1]);
  return match[2] === 's' ? n * 1000 : match[2] === 'min' ? n * 60_000 : n;
}
