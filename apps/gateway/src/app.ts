import { QUEUE_NAMES } from '@dreamseed/contracts';
import { createAppLogger, requireInternalToken, startService, type Logger, type ServiceDeps, type ServiceParts } from '@dreamseed/platform';
import { createAuthLimits } from './auth/limits';
import { createMailer } from './auth/mailer';
import { AUTH_PATH, authRouter } from './auth/routes';
import { AuthService } from './auth/service';
import { createTokenSigner } from './auth/tokens';
import { gatewayConfigSchema, type GatewayConfig } from './config';
import { createGatewayDb } from './db/client';
import { adminAuth, mountQueueDashboard } from './http/admin';
import { mountQueueAdminApi } from './http/admin-api';
import { billingRouter } from './http/billing';
import { corsFor } from './http/cors';
import { domainsRouter } from './http/domains';
import { findFounder, founderLookupRoute, internalRouter } from './http/internal';
import { meRouter } from './http/me';
import { checkResponses, mountApiDocs } from './http/openapi';
import { gatewayJobHandlers } from './jobs';
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
  const inbox = new WebhookInbox(db, producer, logger);
  return {
    handlers: gatewayJobHandlers({ db, auth, mailer }),
    rawRoutes: [new VapiWebhook(config, inbox, logger, (phone) => findFounder(db, 'customer_phone', phone)), founderLookupRoute(db, config.INTERNAL_API_SECRET)],
    routes: (app) => {
      app.use(STRIPE_WEBHOOK_PATH, stripeWebhookRouter(config, inbox));
      app.use('/internal', requireInternalToken(config.INTERNAL_API_SECRET), internalRouter(db, auth));
      app.use(AUTH_PATH, authRouter(auth, config, logger));
      app.use('/v1', corsFor(config.CORS_ORIGINS));
      // Under test, every /v1 answer is held to the API document (a mismatch is a 500 the tests see).
      if (config.NODE_ENV === 'test') app.use('/v1', checkResponses(logger));
      app.use('/v1/me', meRouter(auth, db, config, producer));
      app.use('/v1/domains', domainsRouter(auth, db, config, producer));
      app.use('/v1/billing', billingRouter(auth, config, producer));
      mountApiDocs(app, config.APP_VERSION, config.PUBLIC_URL);
      if (config.ADMIN_PASSWORD) {
        const admin = adminAuth({
          user: config.ADMIN_USER,
          password: config.ADMIN_PASSWORD,
          redis,
          prefix: config.QUEUE_PREFIX,
          maxFailures: config.RATE_LIMIT_ADMIN_FAILURES_PER_15_MIN,
          logger,
        });
        mountQueueDashboard(app, producer, admin);
        mountQueueAdminApi(app, deps, admin);
      } else {
        logger.info('queue dashboard off: set ADMIN_PASSWORD to turn it on');
      }
    },
    onReady: async () => {
      const relays = [
        setInterval(() => {
          auth.relayPendingMails(config.MAIL_RELAY_INTERVAL_MS).catch((error) => logger.warn({ err: error }, 'mail relay failed'));
        }, config.MAIL_RELAY_INTERVAL_MS),
        setInterval(() => {
          inbox.relay().catch((error) => logger.warn({ err: error }, 'webhook relay failed'));
        }, config.WEBHOOK_RELAY_INTERVAL_MS),
      ];
      return async () => relays.forEach(clearInterval);
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
