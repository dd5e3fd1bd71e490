import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { freePort, testInfra, waitFor } from '@dreamseed/testing';
import { codeIn, startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

/** A local SMTP server standing in for the real one: it accepts the gateway's login and keeps every message. */
async function startFakeSmtp() {
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'smtp-secret') callback(null, { user: 'mailer' });
      else callback(new Error('bad credentials'));
    },
    // Like many servers, it quotes the address it refuses.
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith('bounce-')) return callback();
      callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('auth mails through SMTP', () => {
  let gateway: TestGateway;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'false', SMTP_URL: `smtp://mailer:smtp-secret@127.0.0.1:${smtp.port}` });
  });
  afterAll(async () => {
    await gateway.stop();
    await smtp.close();
  });

  it('sends the confirmation by SMTP and keeps no copy of its code once sent', async () => {
    const email = uniqueEmail();
    await gateway.client().signUp({ email, password: 'correct horse battery' });
    const mail = await waitFor(() => smtp.received.find((m) => m.to.includes(email)), 'the SMTP server to receive the mail');
    expect(mail.raw).toContain('Subject: Confirm your DreamSeed account');
    const code = codeIn(mail.raw);
    const row = await waitFor(async () => {
      const result = await gateway.pool.query(`select status, body from auth.mail_outbox where recipient = $1`, [email]);
      return result.rows[0]?.status === 'sent' ? result.rows[0] : undefined;
    }, 'the outbox row to be marked sent');
    expect(row.body).toBe('[sent]');
    expect((await gateway.client().verifyOtp({ email, token: code, type: 'signup' })).error).toBeNull();
  });

  it('keeps the address out of the failure reason when the server refuses it', async () => {
    const email = `bounce-${uniqueEmail()}`;
    await gateway.client().signUp({ email, password: 'correct horse battery' });
    const { id } = await waitFor(async () => (await gateway.pool.query(`select id from auth.mail_outbox where recipient = $1`, [email])).rows[0], 'the mail row');
    const redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('gateway', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
    try {
      const job = await waitFor(async () => {
        const found = await queue.getJob(`mail-${id}`);
        return found?.failedReason ? found : undefined;
      }, 'the first try to fail');
      expect(job.failedReason).toBe('SMTP delivery failed: EENVELOPE 550 at RCPT TO');
      expect(JSON.stringify(job.stacktrace)).not.toContain(email.split('@')[0]);
      // The try is counted on the mail, with the same reason; it stays pending until the job's last try.
      const row = await waitFor(async () => (await gateway.pool.query(`select status, attempts, last_error from auth.mail_outbox where id = $1`, [id])).rows.find((r) => r.attempts > 0), 'the try to be counted');
      expect(row).toMatchObject({ status: 'pending', last_error: 'SMTP delivery failed: EENVELOPE 550 at RCPT TO' });
      await job.remove();
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });
});
