import { QUEUE_NAMES } from '@dreamseed/contracts';
import { FounderEventPublisher, createAppLogger, requireInternalToken, startService, type Logger, type ServiceDeps, type ServiceParts } from '@dreamseed/platform';
import { createAuthLimits } from './auth/limits';
import { createMailer } from './auth/mailer';
import { AUTH_PATH, authRouter } from './auth/routes';
import { AuthService } from './auth/service';
import { createTokenSigner } from './auth/tokens';
import { gatewayConfigSchema, type GatewayConfig } from './config';
import { createGatewayDb } from './db/client';
import { FounderEventHub } from './events/hub';
import { EventTickets } from './events/tickets';
import { adminAuth, mountQueueDashboard, operatorSessionRouter, queueAccess } from './http/admin';
import { mountQueueAdminApi } from './http/admin-api';
import { mountOperatorApi, OPERATOR_API_PATH } from './http/operator';
import { requireOperator } from './http/operator-guard';
import { billingRouter } from './http/billing';
import { corsFor } from './http/cors';
import { domainsRouter } from './http/domains';
import { eventsRouter, liveSessions } from './http/events';
import { FormationReports } from './formation/reports';
import { founderFormationRoutes } from './http/formation';
import { findFounder, founderLookupRoute, internalRouter } from './http/internal';
import { meRouter } from './http/me';
import { SampleCalls } from './http/sample-call';
import { checkResponses, mountApiDocs } from './http/openapi';
import { mountWebApp } from './http/web-app';
import { gatewayJobHandlers } from './jobs';
import { startBusinessMetrics } from './operator/business-metrics';
import { WebhookInbox } from './webhooks/inbox';
import { STRIPE_WEBHOOK_PATH, stripeWebhookRouter } from './webhooks/stripe';
import { VapiWebhook } from './webhooks/vapi';

export const APP_NAME = 'gateway';

/** The gateway's parts, built once from the platform's connections. */
function buildGateway(config: GatewayConfig, deps: ServiceDeps<GatewayConfig>): ServiceParts<'gateway'> {
  const { logger, producer, redis } = deps;
  const db = createGatewayDb(deps.pool);
  const signer = createTokenSigner({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER ?? `${config.PUBLIC_URL}${AUTH_PATH}`,
    expirySeconds: config.JWT_EXPIRY_SECONDS,
  });
  const limits = createAuthLimits(redis, config, logger);
  const auth = new AuthService(db, config, signer, limits, producer, logger);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const inbox = new WebhookInbox(db, producer, logger, config.QUEUE_PREFIX);
  const events = new FounderEventPublisher({ redis, prefix: config.QUEUE_PREFIX, logger });
  const hub = new FounderEventHub({
    redisUrl: config.REDIS_URL,
    redisCluster: config.REDIS_CLUSTER,
    prefix: config.QUEUE_PREFIX,
    logger,
    heartbeatMs: config.EVENTS_HEARTBEAT_MS,
    maxBufferedBytes: config.EVENTS_MAX_BUFFERED_BYTES,
    liveSessions: (sessionIds) => liveSessions(db, sessionIds),
  });
  const vapiWebhook = new VapiWebhook(config, inbox, logger, (phone) => findFounder(db, 'customer_phone', phone));
  const samples = new SampleCalls({
    enabled: config.SAMPLE_CALLS,
    redis,
    prefix: config.QUEUE_PREFIX,
    take: (raw, correlationId) => vapiWebhook.accept(raw, correlationId),
    logger,
    paceMs: config.SAMPLE_CALL_PACE_MS,
  });
  // The business's figures (founders, calls, payments, stuck founders) on the gateway's /metrics only.
  startBusinessMetrics(deps.metrics.registry, { db, producer, logger });
  return {
    handlers: gatewayJobHandlers({ db, auth, mailer, events, producer, logger, config }),
    rawRoutes: [vapiWebhook, founderLookupRoute(db, config.INTERNAL_API_SECRET)],
    routes: (app) => {
      app.use(STRIPE_WEBHOOK_PATH, stripeWebhookRouter(config, inbox));
      app.use('/internal', requireInternalToken(config.INTERNAL_API_SECRET), internalRouter(db, auth));
      // A confirmed phone number may be what a formation case's domain registration waited for.
      const formationReports = new FormationReports({ db, producer, events, logger, config });
      app.use(AUTH_PATH, authRouter(auth, config, logger, { phoneConfirmed: (authUserId, correlationId) => formationReports.phoneConfirmed(authUserId, correlationId) }));
      app.use('/v1', corsFor(config.CORS_ORIGINS));
      // Under test, every /v1 answer is held to the API document (a mismatch is a 500 the tests see).
      if (config.NODE_ENV === 'test') app.use('/v1', checkResponses(logger));
      // Before /v1/me, whose routes all want a bearer token: a browser's stream brings a ticket instead.
      app.use('/v1/me/events', eventsRouter({ auth, db, hub, tickets: new EventTickets(redis, config.QUEUE_PREFIX) }));
      // Before /v1/me: the formation case's routes under /v1/me/formation/ (GET and PUT /v1/me/formation pass on).
      const formation = founderFormationRoutes(auth, { db, producer, events, logger, config });
      app.use('/v1/me/formation', formation.router);
      app.use('/v1/me', meRouter(auth, db, config, producer, samples, formation.hooks));
      app.use('/v1/domains', domainsRouter(auth, db, config, producer));
      app.use('/v1/billing', billingRouter(auth, config, producer));
      mountApiDocs(app, config.APP_VERSION, config.PUBLIC_URL);
      // Under test, every /admin/api answer is held to the API document too.
      if (config.NODE_ENV === 'test') app.use(OPERATOR_API_PATH, checkResponses(logger, `${OPERATOR_API_PATH}/`));
      // The queues: a signed-in operator (bearer token; the dashboard also takes the session cookie), or a machine
      // with the Basic admin credentials when ADMIN_PASSWORD is set.
      const basic = config.ADMIN_PASSWORD
        ? adminAuth({
            user: config.ADMIN_USER,
            password: config.ADMIN_PASSWORD,
            redis,
            prefix: config.QUEUE_PREFIX,
            maxFailures: config.RATE_LIMIT_ADMIN_FAILURES_PER_15_MIN,
            logger,
          })
        : undefined;
      mountQueueDashboard(app, { producer, db }, queueAccess({ auth, basic, cookie: true }));
      mountQueueAdminApi(app, { producer, redis, db }, queueAccess({ auth, basic, cookie: false }));
      app.use(OPERATOR_API_PATH, requireOperator(auth), operatorSessionRouter());
      mountOperatorApi(app, { auth, db, config, producer, redis, events, logger });
      // Last: the app's pages answer only what no route above did.
      mountWebApp(app, config.WEB_APP_DIR, logger, { webCalls: config.VAPI_WEB_CALLS });
    },
    onReady: async () => {
      hub.start();
      const relays = [
        setInterval(() => {
          auth.relayPendingMails(config.MAIL_RELAY_INTERVAL_MS).catch((error) => logger.warn({ err: error }, 'mail relay failed'));
        }, config.MAIL_RELAY_INTERVAL_MS),
        setInterval(() => {
          inbox.relay().catch((error) => logger.warn({ err: error }, 'webhook relay failed'));
        }, config.WEBHOOK_RELAY_INTERVAL_MS),
      ];
      return async () => {
        // First, so that the HTTP server closes at once: open streams would hold it to its deadline.
        await hub.stop();
        relays.forEach(clearInterval);
        await samples.close();
      };
    },
  };
}

/**
 * Starts the gateway: the public HTTP entry (auth, API, docs, dashboard, webhooks) and the worker that applies
 * other owners' reports to the founder's profile and sends auth mails.
 */
export function startGateway(config: GatewayConfig, logger: Logger = createAppLogger(APP_NAME, gatewayConfigSchema, config)) {
  return startService({
    name: APP_NAME,
    config,
    configSchema: gatewayConfigSchema,
    logger,
    queue: 'gateway',
    watchQueues: QUEUE_NAMES.filter((name) => name !== 'gateway'),
    build: (deps) => buildGateway(config, deps),
  });
}
