import { eq } from 'drizzle-orm';
import { markFounderErased, withOwnerRole } from '@dreamseed/platform';
import type { DomainDb } from '../db/client';
import { domainSearches, domainSelections } from '../db/schema';

/**
 * `erase-founder`: the founder deleted their account, so their searches (the keywords and brief they came from,
 * every candidate) and their selections go. Kept: `domain.domain_registrations`, the record of a domain bought
 * for them with the platform's money (what was bought, from which registrar, the order id): it holds none of
 * their words, and the purchase must stay answerable to the registrar and to accounting (docs/security.md,
 * account deletion). Filtered by the founder's id only, so running it again, or for a founder with nothing,
 * deletes nothing. The founder is marked erased first, in the same transaction: a job on the founder that is
 * writing finishes before the deletes, and one that starts after finds the mark and writes nothing.
 */
export function eraseFounder(db: DomainDb, userId: string) {
  return withOwnerRole(db, 'domain', async (tx) => {
    await markFounderErased(tx, 'domain', userId);
    // Selections first: they point at the search they came from (no cascade).
    const selections = await tx.delete(domainSelections).where(eq(domainSelections.businessId, userId)).returning({ id: domainSelections.id });
    const searches = await tx.delete(domainSearches).where(eq(domainSearches.businessId, userId)).returning({ id: domainSearches.id });
    return { searches: searches.length, selections: selections.length };
  });
}
