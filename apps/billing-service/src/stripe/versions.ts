import type Stripe from 'stripe';

/**
 * The Stripe API versions whose events billing reads, by the shape they render (docs/stripe-versions.md has the
 * differences and the sources). An event's `data.object` is rendered at its `api_version`: an event at any
 * other version, or with none, is refused visibly rather than read with guessed shapes. A new version is
 * added here only once its changelog has been checked against the fields billing reads; the spec beside this
 * file fails when stripe-node pins a version that is not here.
 */
export const SUPPORTED_STRIPE_API_VERSIONS = {
  /** `invoice.subscription` (and `subscription_details.metadata`, since 2023-08); `subscription.current_period_*`. */
  'pre-basil': [
    '2020-08-27',
    '2022-08-01',
    '2022-11-15',
    '2023-08-16',
    '2023-10-16',
    '2024-04-10',
    '2024-06-20',
    '2024-09-30.acacia',
    '2024-10-28.acacia',
    '2024-11-20.acacia',
    '2024-12-18.acacia',
    '2025-01-27.acacia',
    '2025-02-24.acacia',
  ],
  /** `invoice.parent.subscription_details.{subscription,metadata}`; `subscription.items.data[].current_period_*`. */
  basil: [
    '2025-03-31.basil',
    '2025-04-30.basil',
    '2025-05-28.basil',
    '2025-06-30.basil',
    '2025-07-30.basil',
    '2025-08-27.basil',
    '2025-09-30.clover',
    '2025-10-29.clover',
    '2025-11-17.clover',
    '2025-12-15.clover',
    '2026-01-28.clover',
    '2026-02-25.clover',
    '2026-03-25.dahlia',
    '2026-04-22.dahlia',
    '2026-05-27.dahlia',
    '2026-06-24.dahlia',
    '2026-07-29.dahlia',
    '2026-08-26.dahlia',
    '2026-09-30.endive',
    '2026-10-28.endive',
  ],
} as const satisfies Record<string, readonly Stripe.WebhookEndpointCreateParams.ApiVersion[]>;

export type StripeShape = keyof typeof SUPPORTED_STRIPE_API_VERSIONS;

const SHAPE_OF = new Map<string, StripeShape>(
  Object.entries(SUPPORTED_STRIPE_API_VERSIONS).flatMap(([shape, versions]) => versions.map((version) => [version, shape as StripeShape] as const)),
);

/** The shape an event's objects have, or why billing cannot read them. */
export function stripeShapeOf(apiVersion: string | null | undefined): { shape: StripeShape } | { refused: string } {
  const shape = typeof apiVersion === 'string' ? SHAPE_OF.get(apiVersion) : undefined;
  if (shape) return { shape };
  const which = apiVersion ? `API version ${JSON.stringify(apiVersion.slice(0, 64))}` : 'no API version';
  const range = `${SUPPORTED_STRIPE_API_VERSIONS['pre-basil'][0]} to ${SUPPORTED_STRIPE_API_VERSIONS.basil.at(-1)}`;
  return { refused: `Stripe event with ${which}, which billing does not read (it reads the versions from ${range} listed in docs/stripe-versions.md)` };
}
