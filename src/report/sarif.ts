/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Findings from SQL
 * files point at the file and line that defined the object; findings from a live server or snapshot
 * have no file, so they point at a stable pseudo-path `database/<schema>/<object>` and carry the
 * object as a logical location.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { describeObject, type Finding, type Severity } from '../finding.js';
import type { ReviewResult } from '../result.js';
import type { RuleMeta } from '../rules/rule.js';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** Any result with findings and load errors (review, lint); any rule set's metadata. */
export function formatSarif(result: Pick<ReviewResult, 'findings' | 'errors' | 'tool'>, rules: readonly { meta: RuleMeta<object> }[]): string {
  const used = [...new Set(result.findings.map((f) => f.rule))].sort();
  const ruleIndex = new Map(used.map((id, i) => [id, i]));
  const descriptors: ReportingDescriptor[] = used.map((id) => {
    const rule = rules.find((r) => r.meta.id === id);
    return {
      id,
      name: id,
      shortDescription: { text: rule?.meta.description ?? id },
      fullDescription: { text: rule?.meta.description ?? id },
      help: { text: `${rule?.meta.description ?? id} See docs/rules/${id}.md in pgarchitect.` },
      defaultConfiguration: { level: LEVEL[rule?.meta.defaultSeverity ?? 'warning'] },
      properties: { category: rule?.meta.category, tags: ['postgresql', rule?.meta.category ?? 'schema'] },
    };
  });
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pgarchitect',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            rules: descriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'error' as const,
              message: { text: `${e.sqlstate}: ${e.message}${e.detail ? ` (${e.detail})` : ''}${e.suggestion ? ` Fix: ${e.suggestion}` : ''}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: toUri(e.file) }, region: { startLine: e.line, startColumn: e.column } } }],
            })),
          },
        ],
        results: result.findings.map((f) => toResult(f, ruleIndex.get(f.rule)!)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function toResult(finding: Finding, ruleIndex: number): Result {
  const name = describeObject(finding.object);
  const location = finding.location
    ? { uri: toUri(finding.location.file), region: { startLine: finding.location.line, startColumn: finding.location.column } }
    : { uri: `database/${[finding.object.schema, finding.object.table, finding.object.name].filter(Boolean).join('/')}`, region: { startLine: 1 } };
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message + (finding.fix ? ` Fix: ${finding.fix.sql.replace(/\s*\n\s*/g, ' ')}` : '') },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: location.uri }, region: location.region },
        logicalLocations: [{ fullyQualifiedName: name, kind: finding.object.type }],
      },
    ],
    partialFingerprints: { 'pgarchitect/v1': finding.fingerprint },
    properties: { category: finding.category, evidence: finding.evidence, fix: finding.fix },
  };
}

/** SARIF wants URI references with forward slashes, relative to the repository root. */
function toUri(path: string): string {
  return path.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
}
