import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, RequestHandler } from 'express';
import { QUEUE_NAMES } from '@dreamseed/contracts';
import { sameSecret, type JobProducer } from '@dreamseed/platform';

export const DASHBOARD_PATH = '/admin/queues';

/** HTTP Basic auth against the admin credentials, compared in constant time; 401 with a challenge otherwise. */
export function basicAuth(user: string, password: string): RequestHandler {
  return (req, res, next) => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [givenUser, ...rest] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
    const givenPassword = rest.join(':');
    if (scheme === 'Basic' && sameSecret(givenUser ?? '', user) && sameSecret(givenPassword, password)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="DreamSeed queues", charset="UTF-8"');
    res.status(401).json({ error: { code: 'unauthorized', message: 'Admin credentials are required.' } });
  };
}

/** The BullMQ dashboard over all five queues, behind admin credentials. */
export function mountQueueDashboard(app: Express, producer: JobProducer, credentials: { user: string; password: string }) {
  const serverAdapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullMQAdapter(producer.queue(name))), serverAdapter });
  app.use(DASHBOARD_PATH, basicAuth(credentials.user, credentials.password), serverAdapter.getRouter());
}
