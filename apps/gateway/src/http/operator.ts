import type { Express } from 'express';
import type { FounderEventPublisher, JobProducer, Logger, RedisConnection } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayConfig } from '../config';
import type { GatewayDb } from '../db/client';
import { operatorFormationRouter } from './operator-formation';
import { operatorFoundersRouter } from './operator-founders';
import { requireOperator } from './operator-guard';
import { operatorInsightsRouter } from './operator-insights';

export const OPERATOR_API_PATH = '/admin/api';

/** What the operator routes work with. */
export interface OperatorDeps {
  auth: AuthService;
  db: GatewayDb;
  config: GatewayConfig;
  producer: JobProducer;
  redis: RedisConnection;
  events: FounderEventPublisher;
  logger: Logger;
}

/**
 * The staff side: `/admin/api/*` for signed-in operators (`requireOperator`). The funnel, stuck founders and
 * business metrics are in `operator-insights.ts`; a founder's file, audited reads and actions in
 * `operator-founders.ts`; formation cases in `operator-formation.ts`.
 */
export function mountOperatorApi(app: Express, deps: OperatorDeps) {
  const operator = requireOperator(deps.auth);
  app.use(OPERATOR_API_PATH, operator, operatorInsightsRouter(deps));
  app.use(OPERATOR_API_PATH, operator, operatorFoundersRouter(deps));
  app.use(OPERATOR_API_PATH, operator, operatorFormationRouter(deps));
}
