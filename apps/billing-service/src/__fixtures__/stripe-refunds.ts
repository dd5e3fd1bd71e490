import type Stripe from 'stripe';
import { stripeObject, type FakeResponse, type FakeStripe } from '@dreamseed/testing';
import { nowSeconds, stripeId } from './stripe-events';
import refundFixture from './stripe-refund.dahlia.json';

/**
 * Stripe's own refund object: `resources.refund` of stripe/openapi's `openapi/fixtures3.json` at f6c2a48 (the
 * commit of libs/testing's `dahlia` set), unchanged. The fields billing reads are checked against stripe-node's
 * type here, so a rename or retype fails the typecheck.
 */
const REFUND = refundFixture satisfies Pick<Stripe.Refund, 'id' | 'amount' | 'currency' | 'status' | 'metadata' | 'created'>;

/**
 * The parameters of `POST /v1/refunds`: those of its request schema in stripe/openapi's `spec3.json` (at e0123a38,
 * 2020-08-27, the newest spec in reach: libs/testing/fixtures/stripe/README.md), and those stripe-node 23's
 * `RefundCreateParams` added since (`currency`, `customer`, `instructions_email`, `origin`). Form-encoded:
 * `metadata[key]` and `expand[n]` are Stripe's deepObject style.
 */
const REFUND_PARAMS = new Set([
  'amount',
  'charge',
  'currency',
  'customer',
  'instructions_email',
  'origin',
  'payment_intent',
  'reason',
  'refund_application_fee',
  'reverse_transfer',
]);
const REFUND_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);
/** Stripe's metadata limits (docs.stripe.com/api/metadata): 50 keys, keys up to 40 characters, values up to 500. */
const METADATA_LIMITS = { keys: 50, key: 40, value: 500 };

const stripeError = (status: number, type: string, code: string, message: string, param?: string): FakeResponse => ({
  status,
  body: { error: { type, code, message, ...(param ? { param } : {}) } },
});

/** The parameter that makes a refund request invalid before Stripe acts on it, as Stripe's 400 says it. */
function invalidParams(params: URLSearchParams): FakeResponse | null {
  const metadata: string[] = [];
  for (const [name, value] of params) {
    const deep = /^(metadata|expand)\[([^\]]*)\]$/.exec(name);
    if (deep?.[1] === 'metadata') {
      const key = deep[2] ?? '';
      if (!key || key.length > METADATA_LIMITS.key || value.length > METADATA_LIMITS.value) {
        return stripeError(400, 'invalid_request_error', 'parameter_invalid_string', `Invalid metadata[${key}]`, name);
      }
      metadata.push(key);
    } else if (!deep && !REFUND_PARAMS.has(name)) {
      return stripeError(400, 'invalid_request_error', 'parameter_unknown', `Received unknown parameter: ${name}`, name);
    }
  }
  if (metadata.length > METADATA_LIMITS.keys) return stripeError(400, 'invalid_request_error', 'parameter_invalid_string', 'Too many metadata keys', 'metadata');
  const amount = params.get('amount');
  if (amount !== null && !/^[1-9]\d*$/.test(amount)) return stripeError(400, 'invalid_request_error', 'parameter_invalid_integer', 'Invalid positive integer', 'amount');
  const reason = params.get('reason');
  if (reason !== null && !REFUND_REASONS.has(reason)) return stripeError(400, 'invalid_request_error', 'parameter_invalid_string', `Invalid reason: ${reason}`, 'reason');
  if (!params.get('payment_intent') && !params.get('charge')) {
    return stripeError(400, 'invalid_request_error', 'parameter_missing', 'One of charge or payment_intent is required.');
  }
  return null;
}

interface KnownCharge {
  id: string;
  paymentIntent: string;
  amount: number;
  refunded: number;
}

/**
 * Teaches the fake Stripe API refunds over the charges a test names (`charge`): `POST /v1/refunds` and
 * `GET /v1/refunds?payment_intent=…|charge=…`.
 *
 * Idempotency as Stripe's docs describe it: the first response to an executed request is kept under its
 * `Idempotency-Key`, and the same key with the same parameters answers it again (`Idempotent-Replayed: true`),
 * with other parameters a 400 `idempotency_error`. A request refused before it executes (an invalid parameter, a
 * rate limit) keeps nothing. A refund beyond what is left of the charge is refused as Stripe refuses it.
 */
export function stripeKnowsRefunds(stripe: FakeStripe) {
  const charges = new Map<string, KnownCharge>();
  const refunds: Stripe.Refund[] = [];
  const kept = new Map<string, { params: string; response: FakeResponse }>();
  let rateLimited = 0;

  const chargeOf = (params: URLSearchParams) => {
    const intent = params.get('payment_intent');
    const charge = params.get('charge');
    return [...charges.values()].find((c) => (intent ? c.paymentIntent === intent : c.id === charge));
  };

  const execute = (params: URLSearchParams): FakeResponse => {
    const charge = chargeOf(params);
    if (!charge) return stripeError(404, 'invalid_request_error', 'resource_missing', 'No such charge or payment_intent', params.get('payment_intent') ? 'payment_intent' : 'charge');
    const left = charge.amount - charge.refunded;
    if (left <= 0) return stripeError(400, 'invalid_request_error', 'charge_already_refunded', `Charge ${charge.id} has already been refunded.`);
    const amount = Number(params.get('amount') ?? left);
    if (amount > left) {
      return stripeError(400, 'invalid_request_error', 'amount_too_large', `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount');
    }
    charge.refunded += amount;
    const metadata = Object.fromEntries([...params].flatMap(([name, value]) => (name.startsWith('metadata[') ? [[name.slice(9, -1), value]] : [])));
    const refund = {
      ...structuredClone(REFUND),
      id: stripeId('re'),
      amount,
      charge: charge.id,
      payment_intent: charge.paymentIntent,
      created: nowSeconds(),
      metadata,
      reason: params.get('reason'),
    } as unknown as Stripe.Refund;
    refunds.push(refund);
    return { body: refund };
  };

  stripe.server.route('POST /v1/refunds', (request) => {
    const params = new URLSearchParams(request.rawBody);
    const invalid = invalidParams(params);
    if (invalid) return invalid;
    if (rateLimited > 0) {
      rateLimited -= 1;
      return stripeError(429, 'invalid_request_error', 'rate_limit', 'Too many requests hit the API too quickly.');
    }
    const key = request.headers['idempotency-key'];
    const sameParams = [...params].map(([name, value]) => `${name}=${value}`).sort().join('&');
    const first = typeof key === 'string' ? kept.get(key) : undefined;
    if (first) {
      if (first.params !== sameParams) {
        return stripeError(400, 'idempotency_error', 'idempotency_key_in_use', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(key)}' if you meant to execute a different request.`);
      }
      return { ...first.response, headers: { 'idempotent-replayed': 'true' } };
    }
    const response = execute(params);
    if (typeof key === 'string') kept.set(key, { params: sameParams, response });
    return response;
  });

  stripe.server.route('GET /v1/refunds', (request) => {
    const charge = chargeOf(request.query);
    const data = charge ? refunds.filter((r) => r.charge === charge.id).reverse() : [];
    return { body: { object: 'list', url: '/v1/refunds', has_more: false, data } };
  });

  return {
    /** Makes Stripe know a charge of `amount` paid through this payment intent. */
    charge(paymentIntent: string, amount: number) {
      charges.set(paymentIntent, { id: stripeId('ch'), paymentIntent, amount, refunded: 0 });
    },
    /** The charge as Stripe's `charge.refunded` event renders it now, from Stripe's charge fixture. */
    chargeObject(paymentIntent: string) {
      const charge = charges.get(paymentIntent);
      if (!charge) throw new Error(`the fake Stripe knows no charge of ${paymentIntent}`);
      return stripeObject('dahlia', 'charge', {
        id: charge.id,
        amount: charge.amount,
        amount_refunded: charge.refunded,
        refunded: charge.refunded === charge.amount,
        currency: 'usd',
        payment_intent: paymentIntent,
      });
    },
    /** The next `times` refund requests are rate limited (429), as Stripe does before it acts on a request. */
    rateLimitNext(times = 1) {
      rateLimited = times;
    },
    /** The refund requests received: their form parameters and idempotency keys. */
    requests() {
      return stripe.calls('POST', /^\/v1\/refunds$/).map((call) => ({ params: Object.fromEntries(call.params), idempotencyKey: call.idempotencyKey }));
    },
    refundsOf: (paymentIntent: string) => refunds.filter((r) => r.payment_intent === paymentIntent),
  };
}
