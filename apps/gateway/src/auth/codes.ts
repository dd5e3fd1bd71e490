import { eq } from 'drizzle-orm';
import type { GatewayDb } from '../db/client';
import { oneTimeTokens } from '../db/schema';

/**
 * Voids every code a typed guess for `address` could match. A typed code is checked as the hash of address +
 * code, so the codes at stake are exactly those issued for that address, whatever their kind (confirmation,
 * recovery, email change, phone change).
 */
export async function voidTypedCodes(db: GatewayDb, address: string): Promise<void> {
  await db.delete(oneTimeTokens).where(eq(oneTimeTokens.relatesTo, address));
}

/** A lifetime as a mail says it: minutes under an hour, whole hours when it is whole hours. */
export function describeLifetime(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  // Rounded down: a mail must never promise more time than the code has.
  return plural(Math.max(1, Math.floor(seconds / 60)), 'minute');
}

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
