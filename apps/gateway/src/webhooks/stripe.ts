import express, { type Router } from 'express';
import Stripe from 'stripe';
import { AppError, assertJsonDepth, jobIdFrom } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { WebhookInbox } from './inbox';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Stripe's ids, types and versions are plain ASCII: a control character or lone surrogate is no event of Stripe's. */
const isPlainText = (value: unknown): value is string => typeof value === 'string' && !/[\p{Cc}\p{Cs}]/u.test(value);

/**
 * Fields billing reads: ids, amounts, statuses and times. Nothing that names, reaches or bills a person.
 * `current_period_*` are a subscription's own before API version 2025-03-31 (Basil), its items' after.
 */
const PLAIN_FIELDS = [
  'id', 'object', 'status', 'created', 'livemode', 'mode', 'payment_status', 'client_reference_id', 'currency',
  'amount', 'amount_total', 'amount_paid', 'amount_due', 'amount_refunded', 'refunded', 'billing_reason',
  'attempt_count', 'cancel_at_period_end', 'cancel_at', 'canceled_at', 'ended_at', 'expires_at',
  'current_period_start', 'current_period_end',
] as const;
/** References that may arrive expanded: only their id is kept. */
const REFERENCE_FIELDS = ['customer', 'payment_intent', 'subscription', 'invoice', 'charge'] as const;
/** The metadata keys DreamSeed sets at checkout; any other key could hold anything and is dropped. */
const METADATA_KEYS = ['paymentId', 'businessId', 'packageId'] as const;

const pick = (source: Json, keys: readonly string[]): Json => Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
const idOf = (value: unknown) => (typeof value === 'string' ? value : isObject(value) && typeof value.id === 'string' ? value.id : value === null ? null : undefined);
const listOf = (value: unknown, item: (entry: Json) => Json) =>
  isObject(value) && Array.isArray(value.data) ? { data: value.data.filter(isObject).map(item) } : undefined;
const metadataOf = (value: unknown) => (isObject(value) ? pick(value, METADATA_KEYS) : undefined);
/** An invoice's `subscription_details`: under `parent` from Basil, at the top level (metadata only) before. */
const subscriptionDetailsOf = (details: unknown) =>
  isObject(details) ? { subscription: idOf(details.subscription), metadata: metadataOf(details.metadata) ?? null } : null;

/**
 * Reduces a Stripe object (session, subscription, invoice, charge, or any other) to what the billing service
 * needs, so that card details, customer emails, names and addresses never reach a queue.
 */
export function forBilling(object: unknown): Json {
  if (!isObject(object)) return {};
  const kept: Json = pick(object, PLAIN_FIELDS);
  for (const field of REFERENCE_FIELDS) {
    const id = idOf(object[field]);
    if (id !== undefined) kept[field] = id;
  }
  const metadata = metadataOf(object.metadata);
  if (metadata) kept.metadata = metadata;
  const items = listOf(object.items, (item) => ({
    ...pick(item, ['id', 'current_period_start', 'current_period_end']),
    price: isObject(item.price) ? { id: item.price.id, recurring: isObject(item.price.recurring) ? { interval: item.price.recurring.interval } : null } : null,
  }));
  if (items) kept.items = items;
  const lines = listOf(object.lines, (line) => ({ period: isObject(line.period) ? pick(line.period, ['start', 'end']) : null }));
  if (lines) kept.lines = lines;
  if (isObject(object.parent)) kept.parent = { type: object.parent.type, subscription_details: subscriptionDetailsOf(object.parent.subscription_details) };
  if (isObject(object.subscription_details)) kept.subscription_details = subscriptionDetailsOf(object.subscription_details);
  if (isObject(object.status_transitions)) kept.status_transitions = pick(object.status_transitions, ['paid_at']);
  return kept;
}

/**
 * The time a `Stripe-Signature` header was signed at (`t=`, seconds), read as stripe-node reads it: the last
 * `t` wins. After the signature is verified this is the signed time.
 */
function signedAt(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(',')) {
    const [key, value] = item.split('=');
    if (key === 't') timestamp = Number.parseInt(value ?? '', 10);
  }
  return timestamp;
}

/**
 * `POST /webhooks/stripe`: the raw body's `Stripe-Signature` is checked by stripe-node, which refuses one older
 * than the tolerance; one dated further ahead than the tolerance is refused here (stripe-node lets it through),
 * so a signature made in advance cannot be kept for later. Then the event, reduced to what billing needs, is
 * held durably (queue, or the Postgres inbox while Redis is away) under a job id from the event id before the
 * 2xx, with its `api_version`: billing decides whether it can read that version, and keeps the event either way.
 * A bad, stale or future signature is a 400 and nothing is kept; so is a body nested deeper than JSON_MAX_DEPTH, or
 * an id or type with control characters, which no store downstream could take.
 */
export function stripeWebhookRouter(config: GatewayConfig, inbox: WebhookInbox): Router {
  const router = express.Router();
  router.post('/', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const secret = config.STRIPE_WEBHOOK_SECRET;
    if (!secret) throw new AppError(400, 'webhook_not_configured', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).');
    const signature = req.get('stripe-signature');
    if (!signature) throw new AppError(400, 'invalid_signature', 'The Stripe-Signature header is missing.');
    assertJsonDepth(raw);
    const tolerance = config.STRIPE_WEBHOOK_TOLERANCE_SECONDS;
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(raw, signature, secret, tolerance);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new AppError(400, 'invalid_signature', 'The Stripe signature does not match this body, or is outside the tolerance.');
      }
      throw new AppError(400, 'invalid_event', 'The body is not a Stripe event.');
    }
    const ahead = signedAt(signature) - Math.floor(Date.now() / 1000);
    if (ahead > tolerance) {
      throw new AppError(400, 'invalid_signature', `The Stripe signature is dated ${ahead} s ahead of this server's clock, beyond the ${tolerance} s tolerance.`);
    }
    const apiVersion: unknown = event.api_version;
    if (!isPlainText(event.id) || !isPlainText(event.type) || !isObject(event.data) || (apiVersion != null && !isPlainText(apiVersion))) {
      throw new AppError(400, 'invalid_event', 'The body is not a Stripe event.');
    }
    await inbox.accept(
      'billing',
      'stripe-event',
      {
        v: 1,
        eventId: event.id,
        type: event.type,
        apiVersion: typeof apiVersion === 'string' ? apiVersion : null,
        receivedAt: new Date().toISOString(),
        event: { id: event.id, type: event.type, created: event.created, livemode: event.livemode, data: { object: forBilling(event.data.object) } },
      },
      { jobId: jobIdFrom('stripe', event.id), correlationId: req.correlationId },
    );
    res.status(200).json({ received: true });
  });
  return router;
}
