/**
 * What `backup audit` and `backup verify` report, in the project's common shapes: findings (the one
 * Finding shape, with stable fingerprints), the checks that ran with what each examined, and the checks
 * that could not run with the reason. A check that found nothing says what it looked at, so silence
 * never stands for "not examined".
 */
import { sortFindings, summarize } from '../engine/findings.js';
import { fingerprintOf, type Category, type Finding, type Fix, type ObjectRef, type Severity } from '../finding.js';
import type { ReviewSummary, SkippedRule } from '../result.js';

/** A check that ran: no finding means "examined this, and found nothing wrong". */
export interface BackupCheck {
  rule: string;
  category: Category;
  /** `archive_mode = on: 1,204 WAL files archived, 3 failures since ...`. */
  examined: string;
  findings: number;
}

/** What a check reports. */
export interface BackupFindingInput {
  object: ObjectRef;
  message: string;
  evidence: Record<string, unknown>;
  fix?: Fix | null;
  severity: Severity;
  /** Extra identity for the fingerprint when one object carries several findings of the check. */
  key?: string;
}

/** Collects findings, checks run and checks skipped, in the order they come; `done` sorts them. */
export class CheckList {
  readonly #findings: Finding[] = [];
  readonly #checks: BackupCheck[] = [];
  readonly #skipped: SkippedRule[] = [];

  report(rule: string, category: Category, finding: BackupFindingInput): void {
    this.#findings.push({
      rule,
      severity: finding.severity,
      category,
      object: finding.object,
      message: finding.message,
      evidence: finding.evidence,
      fix: finding.fix ?? null,
      fingerprint: fingerprintOf(rule, finding.object, finding.key),
    });
  }

  /** Records that `rule` ran and what it examined; its findings are counted at `done`. */
  ran(rule: string, category: Category, examined: string): void {
    this.#checks.push({ rule, category, examined, findings: 0 });
  }

  skip(rule: string, reason: string): void {
    this.#skipped.push({ rule, reason });
  }

  /** Findings sorted worst first, checks in the order they ran with their finding counts, the summary. */
  done(): { findings: Finding[]; checks: BackupCheck[]; skipped: SkippedRule[]; summary: ReviewSummary } {
    const findings = sortFindings([...this.#findings]);
    const checks = this.#checks.map((c) => ({ ...c, findings: findings.filter((f) => f.rule === c.rule).length }));
    return { findings, checks, skipped: [...this.#skipped], summary: summarize(findings, { rulesRun: checks.length, rulesSkipped: this.#skipped.length, suppressed: 0 }) };
  }
}
