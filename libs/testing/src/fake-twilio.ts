import { randomUUID } from 'node:crypto';
import { startFakeServer } from './fake-server';

/**
 * A fake Twilio Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`): it checks the basic auth against
 * the SID and token it was given, answers a queued message as Twilio does, and records each message's form fields.
 */
export async function startFakeTwilio(accountSid: string, authToken: string) {
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const server = await startFakeServer({
    'POST /2010-04-01/Accounts/:sid/Messages.json': (request) => {
      if (request.headers.authorization !== expected || request.params.sid !== accountSid) {
        return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
      }
      const form = new URLSearchParams(request.rawBody);
      const to = form.get('To') ?? '';
      if (!/^\+[1-9]\d{6,14}$/.test(to)) {
        return { status: 400, body: { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 } };
      }
      return {
        status: 201,
        body: { sid: `SM${randomUUID().replace(/-/g, '')}`, account_sid: accountSid, to, from: form.get('From'), body: form.get('Body'), status: 'queued' },
      };
    },
  });
  return {
    server,
    url: server.url,
    /** The form fields of every message the fake was sent, accepted or not. */
    messages: () => server.requests.filter((r) => r.method === 'POST').map((r) => Object.fromEntries(new URLSearchParams(r.rawBody))),
  };
}
