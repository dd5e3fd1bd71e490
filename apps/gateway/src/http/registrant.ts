import { eq } from 'drizzle-orm';
import type { RegistrantContact } from '@dreamseed/contracts';
import { AppError, notFound, withOwnerRole } from '@dreamseed/platform';
import type { GatewayDb, GatewayTx } from '../db/client';
import { businessFormationData, users } from '../db/schema';

/** An address as the formation details keep it (the founder API's `address`). */
interface StoredAddress {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
}

interface RegistrantRow {
  customer_name: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  business_name: string | null;
  legal_name: string | null;
  mailing_address: StoredAddress | null;
  business_address: StoredAddress | null;
}

/**
 * E.164 country calling codes of one and two digits (ITU-T E.164 assignments); every other code has three. The
 * codes are prefix-free, so the first of these that starts a number is its code.
 */
const SHORT_CALLING_CODES = new Set([
  '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49', '51', '52', '53',
  '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

/** `+15555551234` → `+1.5555551234`: EPP's phone form, which registrars (GoDaddy among them) ask for. */
export function eppPhone(e164: string): string | null {
  const digits = /^\+([1-9]\d{6,14})$/.exec(e164)?.[1];
  if (!digits) return null;
  const code = [digits.slice(0, 1), digits.slice(0, 2)].find((prefix) => SHORT_CALLING_CODES.has(prefix)) ?? digits.slice(0, 3);
  return `+${code}.${digits.slice(code.length)}`;
}

/** "Ada Lovelace Byron" → first "Ada", last "Lovelace Byron"; one word has no last name. */
function splitName(name: string | null): { nameFirst: string; nameLast: string } | null {
  const [first, ...rest] = (name ?? '').trim().split(/\s+/);
  return first && rest.length ? { nameFirst: first, nameLast: rest.join(' ') } : null;
}

function completeAddress(address: StoredAddress | null): RegistrantContact['address'] | null {
  if (!address?.line1 || !address.city || !address.state || !address.postal_code) return null;
  return {
    address1: address.line1,
    address2: address.line2 ?? null,
    city: address.city,
    state: address.state,
    postalCode: address.postal_code,
    country: address.country ?? 'US',
  };
}

/**
 * The founder as a domain's registrant: their name, email and phone from the profile, and the formation details'
 * mailing (else business) address. What a registrar cannot go without is listed in a 409, for an operator to chase.
 */
export async function registrantOf(db: GatewayDb, founderId: string): Promise<RegistrantContact> {
  const found = await withOwnerRole(db, 'gateway', (tx) => registrantRowOf(tx, founderId));
  if (!found || found.deletedAt) throw notFound('No such founder.');
  const registrant = registrantFrom(found.row);
  if ('missing' in registrant) {
    throw new AppError(409, 'registrant_incomplete', 'The founder lacks what a domain registrant needs.', { missing: registrant.missing });
  }
  return registrant.contact;
}

/** What `registrantFrom` reads of a founder (a deleted one too: `deletedAt` says), in the caller's transaction. */
export async function registrantRowOf(tx: GatewayTx, founderId: string): Promise<{ row: RegistrantRow; deletedAt: Date | null } | undefined> {
  const [found] = await tx
    .select({
      deletedAt: users.deletedAt,
      customer_name: users.customerName,
      customer_email: users.customerEmail,
      customer_phone: users.customerPhone,
      business_name: users.businessName,
      legal_name: businessFormationData.legalName,
      mailing_address: businessFormationData.mailingAddress,
      business_address: businessFormationData.businessAddress,
    })
    .from(users)
    .leftJoin(businessFormationData, eq(businessFormationData.userId, users.id))
    .where(eq(users.id, founderId));
  if (!found) return undefined;
  const { deletedAt, ...row } = found;
  return { row: row as RegistrantRow, deletedAt };
}

/**
 * The founder as a domain's registrant, or what is missing for one: the gateway asks for a registration only once
 * nothing is, since a registrar refuses an incomplete contact for good.
 */
export function registrantFrom(row: RegistrantRow): { contact: RegistrantContact } | { missing: string[] } {
  const name = splitName(row.customer_name);
  const phone = row.customer_phone ? eppPhone(row.customer_phone) : null;
  const address = completeAddress(row.mailing_address) ?? completeAddress(row.business_address);
  const missing = [
    ...(name ? [] : ['customer_name (first and last)']),
    ...(row.customer_email ? [] : ['customer_email']),
    ...(phone ? [] : ['customer_phone']),
    ...(address ? [] : ['mailing_address or business_address']),
  ];
  if (!name || !row.customer_email || !phone || !address) return { missing };
  return { contact: { ...name, organization: row.legal_name ?? row.business_name, email: row.customer_email, phone, address } };
}
