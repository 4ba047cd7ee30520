/**
 * The whole recommendation from resolved inputs and, when there is one, the server's facts: the
 * connection count to budget for, the formulas, then the server's evidence. Pure: `tune()` does the
 * reading and the detecting, this does the deciding, so it can be tested with made-up facts.
 */
import { formulaSettings } from './pgtune.js';
import { TUNE_RESULT_SCHEMA_VERSION, type TuneInputs, type TuneResult, type TuneServerSummary } from './result.js';
import type { ServerFacts } from './server-facts.js';
import { planConnections, withoutServer, withServerEvidence } from './server-evidence.js';

export interface TuningPlanInput {
  inputs: Omit<TuneInputs, 'connections' | 'dataFitsInRam'>;
  /** `--connections`, or null. */
  givenConnections: number | null;
  facts: ServerFacts | null;
  /** The server, described without its password. */
  description: string | null;
  /** Notes made while resolving the inputs (assumptions, detection). */
  notes: string[];
}

export function planTuning(input: TuningPlanInput): TuneResult {
  const { inputs, facts } = input;
  const memoryKb = inputs.memory.kb;
  const major = inputs.postgres.major;
  const connections = planConnections(input.givenConnections, inputs.workload.value, facts);
  const dataFitsInRam = facts ? fitsInMemory(facts, memoryKb) : null;
  const formula = formulaSettings({
    memoryKb,
    cpus: inputs.cpus.value,
    storage: inputs.storage.value,
    connections: connections.connections,
    workload: inputs.workload.value,
    major,
    os: inputs.os.value,
    dataFitsInRam: dataFitsInRam ?? undefined,
  });
  // A server's pg_settings lists the values its build accepts: the build caveats are then settled.
  const buildNotes = formula.buildNotes.filter((b) => !facts?.settings.get(b.setting)?.enumvals).map((b) => b.note);
  const notes = [...input.notes, ...formula.notes, ...buildNotes];
  const notExamined: string[] = [];
  let recommendations;
  if (facts) {
    const outcome = withServerEvidence(formula.settings, facts, { workload: inputs.workload.value, memoryKb, major, connections, budgetedConnections: formula.connections, dataFitsInRam });
    recommendations = outcome.recommendations;
    notes.push(...outcome.notes);
    notExamined.push(...facts.notExamined);
    if (facts.otherPlatform) notes.push(`The server runs on ${facts.otherPlatform}: the settings are computed as for Linux.`);
    if (facts.unmeasuredDatabases > 0) notExamined.push(`the size of ${facts.unmeasuredDatabases} database${facts.unmeasuredDatabases === 1 ? '' : 's'} this role may not connect to`);
  } else {
    recommendations = withoutServer(formula.settings, major);
    notExamined.push('no server: current values, temporary files, checkpoints, the cache hit ratio and open connections were not examined (give -d postgres://… to have them)');
  }
  return {
    schemaVersion: TUNE_RESULT_SCHEMA_VERSION,
    server: facts ? summary(facts, input.description ?? '') : null,
    inputs: { ...inputs, connections: { value: formula.connections, source: connections.source }, dataFitsInRam },
    recommendations,
    notes,
    notExamined,
  };
}

/** True when every database fits in memory; null when some could not be measured and those that could fit. */
function fitsInMemory(facts: ServerFacts, memoryKb: number): boolean | null {
  if (facts.dataBytes === null) return null;
  const fits = facts.dataBytes < memoryKb * 1024;
  return fits && facts.unmeasuredDatabases > 0 ? null : fits;
}

function summary(facts: ServerFacts, description: string): TuneServerSummary {
  const db = facts.databases;
  const reads = db ? db.blocksHit + db.blocksRead : 0;
  const maxConnections = facts.settings.get('max_connections');
  return {
    description,
    version: facts.version,
    versionNum: facts.versionNum,
    statsReset: db?.statsReset ?? null,
    tempFiles: db?.tempFiles ?? null,
    tempBytes: db?.tempBytes ?? null,
    cacheHitRatio: db && reads > 0 ? db.blocksHit / reads : null,
    blocksRead: db?.blocksRead ?? null,
    transactions: db?.transactions ?? null,
    checkpoints: facts.checkpoints,
    clientConnections: facts.clientConnections,
    maxConnections: maxConnections ? Number(maxConnections.setting) : null,
    dataBytes: facts.dataBytes,
  };
}
