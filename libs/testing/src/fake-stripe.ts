import { randomUUID } from 'node:crypto';
import { startFakeServer, type FakeServer } from './fake-server';

/** Stripe's own objects and events for tests (fixtures/stripe/README.md). */
export * from '../fixtures/stripe';

/**
 * A fake Stripe API for stripe-node pointed at it (`host`/`port`/`protocol`): Checkout Sessions are created and
 * expired, subscriptions updated. Stripe's requests are form-encoded; `calls` gives each one's parameters and
 * idempotency key. It sends no webhooks: tests sign their own events with stripe-node's test header helper.
 */
export async function startFakeStripe() {
  const createSession = () => {
    const id = `cs_test_${randomUUID().replace(/-/g, '')}`;
    return { body: { id, object: 'checkout.session', url: `https://checkout.stripe.test/c/pay/${id}`, expires_at: Math.floor(Date.now() / 1000) + 86400 } };
  };
  /** payment intent → invoice, for `GET /v1/invoice_payments?payment[payment_intent]=…`. */
  const invoicePayments = new Map<string, string>();
  const server: FakeServer = await startFakeServer({
    'GET /v1/invoice_payments': (request) => {
      const invoice = invoicePayments.get(request.query.get('payment[payment_intent]') ?? '');
      return { body: { object: 'list', has_more: false, url: '/v1/invoice_payments', data: invoice ? [{ id: `inpay_${invoice}`, object: 'invoice_payment', invoice }] : [] } };
    },
    'POST /v1/checkout/sessions': createSession,
    'POST /v1/checkout/sessions/:id/expire': (request) => ({ body: { id: request.params.id, object: 'checkout.session', status: 'expired' } }),
    'POST /v1/subscriptions/:id': (request) => ({ body: { id: request.params.id, object: 'subscription', status: 'active', cancel_at_period_end: true } }),
  });
  return {
    server,
    url: server.url,
    /** Makes Stripe know that this payment intent paid this invoice. */
    linkInvoicePayment: (paymentIntentId: string, invoiceId: string) => invoicePayments.set(paymentIntentId, invoiceId),
    /** Puts the working checkout route back after a test made it fail. */
    restore: () => server.route('POST /v1/checkout/sessions', createSession),
    /** The form parameters and idempotency keys of the recorded requests to matching paths. */
    calls(method: string, path: RegExp) {
      return server.requests
        .filter((r) => r.method === method && path.test(r.path))
        .map((r) => ({ path: r.path, params: new URLSearchParams(r.rawBody), idempotencyKey: r.headers['idempotency-key'] }));
    },
    close: () => server.close(),
  };
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;
