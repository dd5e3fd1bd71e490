import { eq } from 'drizzle-orm';
import { markFounderErased, withOwnerRole } from '@dreamseed/platform';
import type { AnalysisDb } from '../db/client';
import { aiAnalysis, businessAssessment, businessFacts, dreamDna } from '../db/schema';
import { lockFounderDreamDna } from './analyse';

/**
 * `erase-founder`: the founder deleted their account, so everything this service holds of them goes: the Dream DNA
 * versions, the runs (their raw output quotes the founder), the assessments with their answers, and the facts the
 * assistant saved. Nothing here must be kept, now or later. One transaction that first marks the founder erased
 * (`markFounderErased`): a job that creates the founder's rows (`unlessErased`) and is writing finishes before it,
 * and is erased with the rest; one that starts after it finds the mark and writes nothing. Then the founder's
 * Dream DNA lock, which the erasure lock does not replace: a run that already holds its run row writes its
 * version under that lock alone, so it too finishes first, or comes after and finds its run row gone
 * (`RunErased`). Taken in this order only (erasure, then Dream DNA), so the two locks cannot deadlock. Filtered
 * by the founder's id only, so running it again, or for a founder with nothing, deletes nothing.
 */
export function eraseFounder(db: AnalysisDb, userId: string) {
  return withOwnerRole(db, 'analysis', async (tx) => {
    await markFounderErased(tx, 'analysis', userId);
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
