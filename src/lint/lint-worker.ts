/**
 * A worker thread of a parallel lint (parallel-lint.ts): builds the same engine as the main thread's
 * from `workerData`, takes units from the shared counter until none are left, and answers with each
 * unit's part.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lintRules } from '../rules/lint-rules.js';
import { ensureParser } from '../sql/parser.js';
import { LintEngine, type LintPart } from './lint-engine.js';
import { lintClaimedUnits, markStarted, type LintWorkerData, type LintWorkerMessage } from './parallel-lint.js';

const data = workerData as LintWorkerData;
await ensureParser();
const { ruleIds, ...options } = data.options;
const rules = ruleIds?.map((id) => lintRules.find((rule) => rule.meta.id === id)!);
const engine = new LintEngine({ ...options, rules });
markStarted(data.claims, data.worker);
parentPort!.postMessage({ started: true } satisfies LintWorkerMessage);
const parts: [number, LintPart][] = [];
const finished = lintClaimedUnits(engine, data.sources, data.units, data.claims, (unit, part) => parts.push([unit, part]));
const message: LintWorkerMessage = finished ? { parts } : { aborted: true };
parentPort!.postMessage(message);
