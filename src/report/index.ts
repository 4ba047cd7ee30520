/** The output formats, each a pure function of a review result. */
import type { ReviewResult } from '../result.js';
import type { AnyRule } from '../rules/rule.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function formatResult(result: ReviewResult, format: Format, options: { color: boolean; rules: readonly AnyRule[] }): string {
  switch (format) {
    case 'text':
      return formatText(result, { color: options.color });
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, options.rules);
    case 'markdown':
      return formatMarkdown(result);
  }
}

export { formatJson, formatMarkdown, formatSarif, formatText };
