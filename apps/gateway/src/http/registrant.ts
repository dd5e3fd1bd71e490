import { getTableConfig } from 'drizzle-orm/pg-core';
import type { RegistrantContact } from '@dreamseed/contracts';
import { AppError, notFound, readAsOwner } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { businessFormationData, users } from '../db/schema';

const table = (t: Parameters<typeof getTableConfig>[0]) => `${getTableConfig(t).schema}.${getTableConfig(t).name}`;

/** An address as the formation details keep it (the founder API's `address`). */
interface StoredAddress {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
}

// A type, not an interface: readAsOwner's rows are records.
export type RegistrantRow = {
  customer_name: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  business_name: string | null;
  legal_name: string | null;
  mailing_address: StoredAddress | null;
  business_address: StoredAddress | null;
};

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
  const [row] = await readAsOwner<RegistrantRow>(db, 'gateway', REGISTRANT_READ, [founderId]);
  if (!row) throw notFound('No such founder.');
  const registrant = registrantFrom(row);
  if ('missing' in registrant) {
    throw new AppError(409, 'registrant_incomplete', 'The founder lacks what a domain registrant needs.', { missing: registrant.missing });
  }
  return registrant.contact;
}

/** The founder's row as `registrantFrom` reads it (`$1`: the profile id). */
export const REGISTRANT_READ = `select f.customer_name, f.customer_email, f.customer_phone, f.business_name, b.legal_name, b.mailing_address, b.business_address
       from ${table(users)} f left join ${table(businessFormationData)} b on b.user_id = f.id
      where f.id = $1 and f.deleted_at is null`;

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
