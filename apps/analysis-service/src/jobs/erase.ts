import { eq } from 'drizzle-orm';
import { withOwnerRole } from '@dreamseed/platform';
import type { AnalysisDb } from '../db/client';
import { aiAnalysis, businessAssessment, businessFacts, dreamDna } from '../db/schema';
import { lockFounderDreamDna } from './analyse';

/**
 * `erase-founder`: the founder deleted their account, so everything this service holds of them goes: the Dream DNA
 * versions, the runs (their raw output quotes the founder), the assessments with their answers, and the facts the
 * assistant saved. Nothing here must be kept. One transaction under the founder's Dream DNA lock: a run that is
 * writing its version finishes before it (and is erased with the rest), and one that comes to write after it finds
 * its run row gone and writes nothing (see `RunErased`). Filtered by the founder's id only, so running it again, or
 * for a founder with nothing, deletes nothing.
 */
export function eraseFounder(db: AnalysisDb, userId: string) {
  return withOwnerRole(db, 'analysis', async (tx) => {
    await lockFounderDreamDna(tx, userId);
    // Versions before runs: a version points at its run (on delete set null, but no need to touch it first).
    const versions = await tx.delete(dreamDna).where(eq(dreamDna.businessId, userId)).returning({ id: dreamDna.id });
    const runs = await tx.delete(aiAnalysis).where(eq(aiAnalysis.businessId, userId)).returning({ id: aiAnalysis.id });
    // The answers go with their assessment (assessment_responses cascades).
    const assessments = await tx.delete(businessAssessment).where(eq(businessAssessment.businessId, userId)).returning({ id: businessAssessment.id });
    const facts = await tx.delete(businessFacts).where(eq(businessFacts.businessId, userId)).returning({ id: businessFacts.id });
    return { versions: versions.length, runs: runs.length, assessments: assessments.length, facts: facts.length };
  });
}
