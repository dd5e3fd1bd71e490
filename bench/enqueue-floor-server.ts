/**
 * A second yardstick: the least a webhook ingest can do with BullMQ. node:http, `JSON.parse`, a job id from a
 * hash, and one `add` per request with the gateway's job options, the adds of one event-loop turn sent together
 * once its I/O callbacks are done, as the gateway's producer sends them (single adds are cheaper than `addBulk`,
 * whose ioredis pipeline copies every script of the connection); no authentication, validation, metrics, logs or
 * correlation ids. The gateway's webhook figure over this one is what the platform's own work costs; this one
 * over the bare server is what BullMQ costs.
 */
import { hash } from 'node:crypto';
import { createServer } from 'node:http';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';

const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue('voice', { connection, prefix: process.env.QUEUE_PREFIX ?? 'bench-floor' });
const options: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.2 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

let due: (() => void)[] = [];
function addSoon(jobId: string, data: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!due.length) {
      setImmediate(() => {
        const now = due;
        due = [];
        for (const send of now) send();
      });
    }
    due.push(() => void queue.add('vapi-event', data, { ...options, jobId }).then(resolve, reject));
  });
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const reply = (status: number) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': 2 });
      res.end('{}');
    };
    let message: { type?: string; status?: string; call?: { id?: string } };
    try {
      message = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: typeof message }).message;
    } catch {
      reply(400);
      return;
    }
    const eventKey = `${message.type}|${message.call?.id}|${message.status}`;
    const data = { v: 1, eventKey, messageType: message.type, vapiCallId: message.call?.id ?? null, receivedAt: new Date().toISOString(), message };
    addSoon(`vapi-${hash('sha256', eventKey, 'hex').slice(0, 40)}`, data).then(
      () => reply(200),
      () => reply(503),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'ready', port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => {
    void queue.close().then(() => {
      connection.disconnect();
      process.exit(0);
    });
  });
});
