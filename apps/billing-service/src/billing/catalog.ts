import { z } from 'zod';
import type { BillingPackageView } from '@dreamseed/contracts';

/**
 * What is on sale: one-time formation packages and monthly or yearly subscriptions. Amounts are integer minor
 * units (cents) with a lower-case ISO currency, as Stripe takes them. A package may name a Stripe price kept in
 * the Stripe dashboard (`stripePriceId`); without one, checkout sends the amount inline (`price_data`).
 */
const packageSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and "-", at most 40'),
    name: z.string().min(1).max(100),
    kind: z.enum(['one_time', 'subscription']),
    interval: z.enum(['month', 'year']).nullable().default(null),
    amountMinor: z.number().int().positive(),
    currency: z.string().regex(/^[a-z]{3}$/, 'a lower-case ISO currency code such as "usd"'),
    stripePriceId: z.string().min(1).optional(),
    /** Paying it opens a formation case at the gateway (`formation-package-paid`). */
    formation: z.boolean().optional(),
    /** It buys the founder's chosen domain too (a formation package only). */
    includesDomain: z.boolean().optional(),
  })
  .strict()
  .refine((p) => (p.kind === 'subscription') === (p.interval !== null), {
    message: 'a subscription has an interval (month or year); a one-time package has none',
  })
  .transform(({ formation, includesDomain, ...p }) => {
    // Unsaid, the id says: a one-time `formation-*` package forms a business; the two dearer ones buy the domain.
    const forms = formation ?? (p.kind === 'one_time' && p.id.startsWith('formation-'));
    return { ...p, formation: forms, includesDomain: includesDomain ?? (forms && DOMAIN_INCLUDED.has(p.id)) };
  })
  .refine((p) => p.kind === 'one_time' || !p.formation, { message: 'a formation package is one-time, not a subscription' })
  .refine((p) => p.formation || !p.includesDomain, { message: 'only a formation package includes a domain' });

/** The default packages whose price covers the founder's domain, when BILLING_CATALOG does not say. */
const DOMAIN_INCLUDED = new Set(['formation-standard', 'formation-premium']);

export type BillingPackage = z.output<typeof packageSchema>;

const catalogSchema = z
  .array(packageSchema)
  .min(1)
  .refine((list) => new Set(list.map((p) => p.id)).size === list.length, { message: 'package ids must be unique' });

export const DEFAULT_CATALOG: BillingPackage[] = [
  { id: 'formation-basic', name: 'Formation Basic', kind: 'one_time', interval: null, amountMinor: 9900, currency: 'usd', formation: true, includesDomain: false },
  { id: 'formation-standard', name: 'Formation Standard', kind: 'one_time', interval: null, amountMinor: 19900, currency: 'usd', formation: true, includesDomain: true },
  { id: 'formation-premium', name: 'Formation Premium', kind: 'one_time', interval: null, amountMinor: 39900, currency: 'usd', formation: true, includesDomain: true },
  { id: 'monthly', name: 'DreamSeed Monthly', kind: 'subscription', interval: 'month', amountMinor: 2900, currency: 'usd', formation: false, includesDomain: false },
  { id: 'yearly', name: 'DreamSeed Yearly', kind: 'subscription', interval: 'year', amountMinor: 29000, currency: 'usd', formation: false, includesDomain: false },
];

/** `BILLING_CATALOG`: a JSON array of packages, checked at start like every other variable. */
export const catalogFromEnv = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of packages' });
      return z.NEVER;
    }
  })
  .pipe(catalogSchema)
  .default(DEFAULT_CATALOG);

/** The plan a subscription package stands for, in the profile's words. */
export const planOf = (pkg: BillingPackage): 'monthly' | 'yearly' | null =>
  pkg.interval === 'month' ? 'monthly' : pkg.interval === 'year' ? 'yearly' : null;

export class Catalog {
  private readonly byId: Map<string, BillingPackage>;

  constructor(readonly packages: readonly BillingPackage[]) {
    this.byId = new Map(packages.map((p) => [p.id, p]));
  }

  find(id: string | null | undefined): BillingPackage | undefined {
    return id ? this.byId.get(id) : undefined;
  }

  /** The package that sells a plan (the first, should a catalog sell one plan twice). */
  planPackage(plan: 'monthly' | 'yearly'): BillingPackage | undefined {
    return this.packages.find((p) => planOf(p) === plan);
  }

  /**
   * The package a provider's subscription bills, from what it bills rather than what it was bought as, since a
   * plan change moves its price: the package with that Stripe price; else the first of the packages it is known
   * by (`known`: metadata, our row) at the interval it bills; else the catalog's plan at that interval.
   */
  billedPackage(billed: { priceIds: readonly string[]; interval: string | null }, known: readonly (string | null | undefined)[]): BillingPackage | undefined {
    const plans = this.packages.filter((p) => p.kind === 'subscription');
    const byPrice = plans.find((p) => p.stripePriceId && billed.priceIds.includes(p.stripePriceId));
    if (byPrice) return byPrice;
    const candidates = known.map((id) => this.find(id)).filter((p): p is BillingPackage => p?.kind === 'subscription');
    const atInterval = (list: BillingPackage[]) => list.find((p) => p.interval === billed.interval);
    return (billed.interval ? (atInterval(candidates) ?? atInterval(plans)) : undefined) ?? candidates[0];
  }

  views(): BillingPackageView[] {
    return this.packages.map(({ id, name, kind, interval, amountMinor, currency, formation, includesDomain }) => ({ id, name, kind, interval, amountMinor, currency, formation, includesDomain }));
  }
}

/**
 * The end of a period that starts at `from` and lasts one interval (calendar month or year, as Stripe bills). A day
 * the target month lacks becomes its last day (Jan 31 → Feb 28, Feb 29 → Feb 28 next year), as Stripe anchors
 * such periods; plain `setUTCMonth` would roll over into the month after.
 */
export function addInterval(from: Date, interval: 'month' | 'year'): Date {
  const months = interval === 'month' ? 1 : 12;
  const target = from.getUTCMonth() + months;
  const year = from.getUTCFullYear() + Math.floor(target / 12);
  const month = target % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(from);
  end.setUTCFullYear(year, month, Math.min(from.getUTCDate(), lastDay));
  return end;
}
