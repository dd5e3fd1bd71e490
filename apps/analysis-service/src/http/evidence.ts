import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { DreamDnaEvidence, DreamDnaField, DreamDnaView } from '@dreamseed/contracts';
import { DREAM_DNA_FIELDS } from '../analysis/output';
import type { AnalysisTx } from '../db/client';
import { aiAnalysis, dreamDna } from '../db/schema';

/** One version as its evidence needs it: its values, and the findings of the run that made it (null without one). */
interface VersionFindings {
  version: number;
  values: Record<DreamDnaField, string | null>;
  findings: unknown;
}

/**
 * The evidence of each version in `versions` (all of one founder), by version number, read from the founder's
 * whole history up to the newest of them (one query; filtered by the founder, so that it holds under the owner's
 * role as under the founder's row-level security). There is one version per analysis run that changed something,
 * and only the runs' Dream DNA findings are read, so the history stays small.
 */
export async function evidenceOfVersions(
  tx: AnalysisTx,
  versions: readonly { businessId: string; version: number }[],
): Promise<Map<number, DreamDnaView['evidence']>> {
  const newest = Math.max(...versions.map((row) => row.version));
  const businessId = versions[0]?.businessId;
  if (!Number.isFinite(newest) || !businessId) return new Map();
  const rows = await tx
    .select({ dna: dreamDna, findings: sql<unknown>`${aiAnalysis.parsedOutput} -> 'dreamDna'` })
    .from(dreamDna)
    .leftJoin(aiAnalysis, eq(aiAnalysis.id, dreamDna.aiAnalysisId))
    .where(and(eq(dreamDna.businessId, businessId), lte(dreamDna.version, newest)))
    .orderBy(desc(dreamDna.version));
  const history: VersionFindings[] = rows.map(({ dna, findings }) => ({
    version: dna.version,
    values: Object.fromEntries(DREAM_DNA_FIELDS.map((field) => [field, dna[field]])) as VersionFindings['values'],
    findings,
  }));
  return new Map(versions.map(({ version }) => [version, evidenceAt(history, history.findIndex((row) => row.version === version))]));
}

/**
 * The evidence of `history[at]` (history newest first, every version down to the first). A run that found nothing
 * for a field kept the version before's value (`nextDreamDna`), so a field's quote is looked for back through the
 * versions that hold the same value, down to the run that found it. That run's quote, or none if it kept none.
 */
function evidenceAt(history: readonly VersionFindings[], at: number): DreamDnaView['evidence'] {
  const evidence: DreamDnaView['evidence'] = {};
  const current = history[at];
  if (!current) return evidence;
  for (const field of DREAM_DNA_FIELDS) {
    const value = current.values[field];
    if (value === null) continue;
    for (const earlier of history.slice(at)) {
      // A different value, or a version no run made (a domain chosen first): nothing here found this value.
      if (earlier.values[field] !== value || !earlier.findings) break;
      const finding = findingOf(earlier.findings, field);
      if (finding === undefined) continue;
      if (finding && finding.value === value) evidence[field] = { quote: finding.quote, confidence: finding.confidence };
      break;
    }
  }
  return evidence;
}

/**
 * A run's finding for a field, as stored in its parsed output: undefined when the run found no value (the field
 * was carried over), null when it found one but no quote it can be shown with.
 */
function findingOf(findings: unknown, field: DreamDnaField): (DreamDnaEvidence & { value: string }) | null | undefined {
  const finding = (findings as Record<string, { value?: unknown; confidence?: unknown; evidence?: unknown } | undefined>)[field];
  if (typeof finding?.value !== 'string') return undefined;
  if (typeof finding.evidence !== 'string' || !finding.evidence || typeof finding.confidence !== 'number') return null;
  return { value: finding.value, quote: finding.evidence, confidence: finding.confidence };
}
