/** The output formats of `health`, each a pure function of the result. */
import { formatSarif } from '../report/sarif.js';
import { healthRules } from '../rules/health/index.js';
import { formatHealthMarkdown } from './format-markdown.js';
import { formatHealthText } from './format-text.js';
import type { HealthResult } from './result.js';
import { REUSED_REVIEW_RULES } from './reused-rules.js';

export const HEALTH_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type HealthFormat = (typeof HEALTH_FORMATS)[number];

export function formatHealth(result: HealthResult, format: HealthFormat, options: { color: boolean }): string {
  switch (format) {
    case 'text':
      return formatHealthText(result, options);
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'sarif':
      return formatSarif({ findings: result.findings, errors: [], tool: result.tool }, [...healthRules, ...REUSED_REVIEW_RULES]);
    case 'markdown':
      return formatHealthMarkdown(result);
  }
}
