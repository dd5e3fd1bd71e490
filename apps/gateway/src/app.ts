import { QUEUE_NAMES } from '@dreamseed/contracts';
import { createAppLogger, requireInternalToken, startService, type Logger, type ServiceDeps } from '@dreamseed/platform';
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
import { mountApiDocs } from './http/openapi';
import { gatewayJobHandlers } from './jobs';
import { WebhookInbox } from './webhooks/inbox';
import { STRIPE_WEBHOOK_PATH, stripeWebhookRouter } from './webhooks/stripe';
import { VapiWebhook } from './webhooks/vapi';

export const APP_NAME = 'gateway';

/** The gateway's own parts, built once from the platform's connections. */
function buildGateway(config: GatewayConfig, deps: ServiceDeps<GatewayConfig>) {
  const db = createGatewayDb(deps.pool);
  const signer = createTokenSigner({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER ?? `${config.PUBLIC_URL}${AUTH_PATH}`,
    expirySeconds: config.JWT_EXPIRY_SECONDS,
  });
  const limits = createAuthLimits(deps.redis, config, deps.logger);
  const auth = new AuthService(db, config, signer, limits, deps.producer, deps.logger);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const inbox = new WebhookInbox(db, deps.producer, deps.logger);
  return { db, auth, mailer, inbox };
}

/**
 * Starts the gateway: the public HTTP entry (auth, API, docs, dashboard; webhooks as their issues land) and the
 * worker that applies other owners' reports to the founder's profile and sends auth mails.
 */
export function startGateway(config: GatewayConfig, logger: Logger = createAppLogger(APP_NAME, gatewayConfigSchema, config)) {
  let gateway: ReturnType<typeof buildGateway> | undefined;
  const parts = (deps: ServiceDeps<GatewayConfig>) => (gateway ??= buildGateway(config, deps));
  return startService({
    name: APP_NAME,
    config,
    configSchema: gatewayConfigSchema,
    logger,
    queue: 'gateway',
    watchQueues: QUEUE_NAMES.filter((name) => name !== 'gateway'),
    handlers: (deps) => gatewayJobHandlers(parts(deps)),
    onReady: async (deps) => {
      const { auth, inbox } = parts(deps);
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
    rawRoutes: (deps) => {
      const { db, inbox } = parts(deps);
      return [new VapiWebhook(config, inbox, logger, (phone) => findFounder(db, 'customer_phone', phone)), founderLookupRoute(db, config.INTERNAL_API_SECRET)];
    },
    routes: (app, deps) => {
      const { auth, db, inbox } = parts(deps);
      app.use(STRIPE_WEBHOOK_PATH, stripeWebhookRouter(config, inbox));
      app.use('/internal', requireInternalToken(config.INTERNAL_API_SECRET), internalRouter(db, auth));
      app.use(AUTH_PATH, authRouter(auth, config, logger));
      app.use('/v1', corsFor(config.CORS_ORIGINS));
      app.use('/v1/me', meRouter(auth, db, config, deps.producer));
      app.use('/v1/domains', domainsRouter(auth, db, config, deps.producer));
      app.use('/v1/billing', billingRouter(auth, config, deps.producer));
      mountApiDocs(app, config.APP_VERSION, config.PUBLIC_URL);
      if (config.ADMIN_PASSWORD) {
        const auth = adminAuth({
          user: config.ADMIN_USER,
          password: config.ADMIN_PASSWORD,
          redis: deps.redis,
          prefix: config.QUEUE_PREFIX,
          maxFailures: config.RATE_LIMIT_ADMIN_FAILURES_PER_15_MIN,
          logger,
        });
        mountQueueDashboard(app, deps.producer, auth);
        mountQueueAdminApi(app, deps, auth);
      } else {
        logger.info('queue dashboard off: set ADMIN_PASSWORD to turn it on');
      }
    },
  });
}
