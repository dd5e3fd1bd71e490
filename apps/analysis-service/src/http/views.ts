/**
 * The analysis service's rows as its internal API shows them, to the founder (founder.ts) and to an operator
 * (operator.ts) alike.
 */
import type { AiAnalysisView, DreamDnaView } from '@dreamseed/contracts';
import type { AnalysisTx } from '../db/client';
import type { aiAnalysis, dreamDna } from '../db/schema';
import { evidenceOfVersions } from './evidence';

type DreamDnaRow = typeof dreamDna.$inferSelect;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function analysisView(row: typeof aiAnalysis.$inferSelect): AiAnalysisView {
  return {
    id: row.id,
    trigger: row.trigger,
    provider: row.provider,
    model: row.model,
    promptVersion: row.promptVersion,
    status: row.status as AiAnalysisView['status'],
    dreamDnaVersion: row.dreamDnaVersion,
    latencyMs: row.latencyMs,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

function dreamDnaView(row: DreamDnaRow, evidence: DreamDnaView['evidence']): DreamDnaView {
  return {
    id: row.id,
    businessId: row.businessId,
    version: row.version,
    whatProblem: row.whatProblem,
    whoServes: row.whoServes,
    howDifferent: row.howDifferent,
    primaryService: row.primaryService,
    brandVibe: row.brandVibe as DreamDnaView['brandVibe'],
    colorPreference: row.colorPreference as DreamDnaView['colorPreference'],
    priceLevel: row.priceLevel as DreamDnaView['priceLevel'],
    selectedDomain: row.selectedDomain,
    aiAnalysisId: row.aiAnalysisId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    evidence,
  };
}

/** The versions with each field's evidence, read in the same transaction. */
export async function withEvidence(tx: AnalysisTx, rows: DreamDnaRow[]): Promise<DreamDnaView[]> {
  const evidence = await evidenceOfVersions(tx, rows);
  return rows.map((row) => dreamDnaView(row, evidence.get(row.version) ?? {}));
}
