import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { INTERNAL_PATHS, LIVE_SUBSCRIPTION_STATUSES, SUBSCRIPTION_TYPES, type CheckoutConfirmation, type CheckoutResponse, type SubscriptionView } from '@dreamseed/contracts';
import { AppError, conflict, notFound, type JobProducer } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayConfig } from '../config';
import { parseBody, requireApiUser } from './middleware';
import { describeRoutes, PAGED } from './openapi';
import { Cancelling, Checkout, CheckoutConfirmation as ConfirmationAnswer, packagesAnswer, paymentsAnswer, subscriptionAnswer, SubscriptionChanging } from './responses';
import { publicView } from './dialect';
import { profileIdIn } from './founder';
import { postToOwner, readFromOwner, readPageFromOwner } from './owners';

const packageId = z.string().min(1).max(100);

// `package_id`, as payments and the subscription name it; `package` is its earlier name, still taken.
const checkoutRequest = z
  .object({
    package_id: packageId.optional().openapi({ example: 'formation-standard', description: 'A package id from GET /v1/billing/packages' }),
    package: packageId.optional().openapi({ deprecated: true, description: 'The earlier name of package_id' }),
  })
  .strict()
  .refine((body) => (body.package_id ?? body.package) !== undefined, { message: 'name the package to buy', path: ['package_id'] })
  .refine((body) => !body.package_id || !body.package || body.package_id === body.package, { message: 'give package_id alone', path: ['package'] })
  .openapi('CheckoutRequest', { example: { package_id: 'formation-standard' } });
const subscriptionChange = z.object({ plan: z.enum(SUBSCRIPTION_TYPES).openapi({ example: 'yearly' }) }).strict().openapi('SubscriptionChange');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describeRoutes(
  'billing',
  [
    ['get', '/v1/billing/packages', 'The formation packages and subscription plans on sale, with prices (public)', undefined, { responses: { 200: packagesAnswer } }],
    ['get', '/v1/billing/checkout/{id}/confirm', 'Local payment provider only: a page saying how the checkout is confirmed (it cannot pay by itself)', undefined],
  ],
  { bearer: false },
);
describeRoutes(
  'billing',
  [
    ['post', '/v1/billing/checkout', 'Start a checkout for a package or plan: returns the payment page URL (an open one is reused)', checkoutRequest, { responses: { 200: Checkout, 201: Checkout } }],
    ['post', '/v1/billing/checkout/{id}/confirm', 'Local payment provider only: complete the founder\'s own open checkout as paid (202; 404 for any other id)', undefined, { responses: { 202: ConfirmationAnswer } }],
    ['get', '/v1/billing/subscription', 'The founder\'s subscription (current, else the latest ended), or null', undefined, { responses: { 200: subscriptionAnswer } }],
    ['get', '/v1/billing/payments', 'The founder\'s payments, newest first, a page at a time', undefined, { ...PAGED, responses: { 200: paymentsAnswer } }],
    ['post', '/v1/billing/subscription/cancel', 'Cancel the subscription at the end of its period (202; 404 no_subscription when none runs, 409 already_cancelled when it already ends)', undefined, { responses: { 202: Cancelling } }],
    [
      'post',
      '/v1/billing/subscription/change',
      'Change the running subscription to the other plan now, prorated, lifting a pending cancellation; to the plan it runs, only lift the cancellation (202; 404 no_subscription when none runs, 409 same_plan when it already runs that plan and is not cancelling)',
      subscriptionChange,
      { responses: { 202: SubscriptionChanging } },
    ],
  ],
  { bearer: true },
);

/**
 * Billing for founders: the catalog, checkout, local confirmations and reads go to the billing service's internal
 * API with the founder's token; cancellations are commands on the `billing` queue.
 */
export function billingRouter(auth: AuthService, config: Pick<GatewayConfig, 'BILLING_SERVICE_URL' | 'INTERNAL_API_SECRET'>, producer: JobProducer): Router {
  const router = express.Router();
  const owner = { internalSecret: config.INTERNAL_API_SECRET };
  const fromBilling = <T>(path: string, req: Request) => readFromOwner<T>(config.BILLING_SERVICE_URL, path, req, owner);

  // Prices are public: no token needed.
  router.get('/packages', async (req, res) => {
    res.json(publicView(await fromBilling(INTERNAL_PATHS.billing.packages, req)));
  });

  // The local provider's checkout URL, opened in a browser. A browser sends no bearer token, so this page cannot
  // pay: it only says where confirming happens (a token carried in the URL instead would end up in history and logs).
  router.get('/checkout/:id/confirm', (req, res) => {
    checkoutIdOf(req);
    res.type('html').send(
      `<!doctype html><meta charset="utf-8"><title>DreamSeed checkout</title>` +
        `<p>This checkout uses DreamSeed's local test payment provider: no card is charged.</p>` +
        `<p>Confirm it in the DreamSeed app, signed in as the founder who started it. This page cannot confirm a payment.</p>`,
    );
  });

  router.use(requireApiUser(auth));

  router.post('/checkout', express.json({ limit: '16kb' }), async (req, res) => {
    const body = parseBody(checkoutRequest, req.body);
    const order = { package: body.package_id ?? body.package };
    const { status, body: checkout } = await postToOwner<CheckoutResponse>(config.BILLING_SERVICE_URL, INTERNAL_PATHS.billing.checkout, req, order, {
      ...owner,
      // Creating a Stripe session may take a few seconds, retries included.
      timeoutMs: 30_000,
    });
    res.status(status).json(publicView(checkout));
  });

  // Billing decides from its own data (the founder's open local checkout, or 404), so nothing is queued for an
  // unknown, foreign or Stripe checkout.
  router.post('/checkout/:id/confirm', async (req, res) => {
    const path = INTERNAL_PATHS.billing.confirmCheckout.replace(':id', checkoutIdOf(req));
    const { status, body } = await postToOwner<CheckoutConfirmation>(config.BILLING_SERVICE_URL, path, req, undefined, owner);
    res.status(status).json(publicView(body));
  });

  router.get('/subscription', async (req, res) => {
    res.json(publicView(await fromBilling(INTERNAL_PATHS.billing.subscription, req)));
  });

  router.get('/payments', async (req, res) => {
    res.json(publicView(await readPageFromOwner(config.BILLING_SERVICE_URL, INTERNAL_PATHS.billing.payments, req, owner)));
  });

  /**
   * The subscription that runs, as billing's own answer says, or 404 `no_subscription`: billing decides whether a
   * command would change anything, so that a 202 always means a change.
   */
  const runningSubscription = async (req: Request, verb: string): Promise<SubscriptionView> => {
    const { subscription } = await fromBilling<{ subscription: SubscriptionView | null }>(INTERNAL_PATHS.billing.subscription, req);
    if (!subscription || !(LIVE_SUBSCRIPTION_STATUSES as readonly string[]).includes(subscription.status)) {
      throw new AppError(404, 'no_subscription', `There is no running subscription to ${verb}.`);
    }
    return subscription;
  };

  router.post('/subscription/cancel', async (req, res) => {
    const profileId = profileIdOf(req);
    const subscription = await runningSubscription(req, 'cancel');
    if (subscription.cancelAtPeriodEnd) throw conflict('already_cancelled', 'The subscription already ends with its current period.');
    await producer.enqueue('billing', 'cancel-subscription', { v: 1, userId: profileId, requestId: randomUUID() }, { correlationId: req.correlationId });
    res.status(202).json({ cancelling: true, at_period_end: true });
  });

  // Billing's job reads the subscription again under a lock: a double click's second job changes nothing.
  router.post('/subscription/change', express.json({ limit: '16kb' }), async (req, res) => {
    const { plan } = parseBody(subscriptionChange, req.body);
    const userId = profileIdOf(req);
    const subscription = await runningSubscription(req, 'change');
    // The plan it runs, while it is set to end, is a resume: the one way back from a cancellation.
    if (subscription.plan === plan && !subscription.cancelAtPeriodEnd) throw conflict('same_plan', `The subscription already runs the ${plan} plan.`);
    await producer.enqueue('billing', 'change-subscription', { v: 1, userId, plan, requestId: randomUUID() }, { correlationId: req.correlationId });
    const answer: z.input<typeof SubscriptionChanging> = { changing: true, plan };
    res.status(202).json(answer);
  });

  return router;
}

/** The founder's profile id, which billing's jobs name them by. */
function profileIdOf(req: Request): string {
  const profileId = req.auth && profileIdIn(req.auth.claims);
  if (profileId === undefined) throw notFound('This account has no founder profile.');
  return profileId;
}

function checkoutIdOf(req: Request): string {
  const id = String(req.params.id);
  if (!UUID.test(id)) throw new AppError(404, 'not_found', 'No such checkout.');
  return id.toLowerCase();
}
