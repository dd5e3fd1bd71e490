import type { GatewayConfig } from '../config';

export interface Sms {
  to: string;
  text: string;
}

/**
 * Where phone codes go. With a Twilio account configured, through Twilio's Messages API; without one, nowhere
 * further than the outbox table (`auth.mail_outbox`, status `written`), which developers and tests read.
 */
export interface SmsSender {
  readonly kind: 'twilio' | 'outbox';
  send(sms: Sms): Promise<void>;
}

type TwilioConfig = Pick<
  GatewayConfig,
  'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_FROM' | 'TWILIO_MESSAGING_SERVICE_SID' | 'TWILIO_API_URL'
>;

/** A message Twilio did not take: Twilio's error code and status, but not its text, which may quote the number. */
export class SmsDeliveryError extends Error {
  constructor(status: number, code: unknown) {
    super(`Twilio refused the message: HTTP ${status}${typeof code === 'number' ? ` code ${code}` : ''}`);
    this.name = 'SmsDeliveryError';
  }
}

export function createSmsSender(config: TwilioConfig): SmsSender {
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken } = config;
  if (!accountSid || !authToken) return { kind: 'outbox', send: async () => undefined };
  const endpoint = new URL(`/2010-04-01/Accounts/${accountSid}/Messages.json`, config.TWILIO_API_URL);
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const sender: Record<string, string> = config.TWILIO_MESSAGING_SERVICE_SID
    ? { MessagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID }
    : { From: config.TWILIO_FROM ?? '' };
  return {
    kind: 'twilio',
    async send(sms) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ To: sms.to, ...sender, Body: sms.text }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: unknown };
        throw new SmsDeliveryError(response.status, body.code);
      }
    },
  };
}
