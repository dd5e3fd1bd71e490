import { founderErased, withOwnerRole } from '@dreamseed/platform';
import type { AnalysisDb, AnalysisTx } from '../db/client';

/** What `unlessErased` gives back instead of writing: the founder was erased. */
export const ERASED = Symbol('founder erased');

/**
 * How a job on an erased founder finishes: done, with nothing written and nothing sent on. Not a failure, since
 * every retry would find the founder erased all the same.
 */
export const erasedOutcome = { status: 'erased' } as const;

/**
 * Writes a founder's rows in one transaction as the analysis service, unless the founder was erased
 * (`erase-founder`): a job queued before the erasure and started after it (a retry, a delayed job) must not bring
 * the founder's data back. The check shares the erasure's lock, so an erasure that comes while this writes waits
 * for the commit and then deletes what was written with the rest.
 */
export function unlessErased<T>(db: AnalysisDb, userId: string, write: (tx: AnalysisTx) => Promise<T>): Promise<T | typeof ERASED> {
  return withOwnerRole(db, 'analysis', async (tx) => ((await founderErased(tx, 'analysis', userId)) ? ERASED : write(tx)));
}
