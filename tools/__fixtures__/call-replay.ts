import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { INTERNAL_PATHS, QUEUE_NAMES, type FounderCallContext } from '@dreamseed/contracts';
import { internalHeaders } from '@dreamseed/platform';
import {
  testInfra,
  validateVapiMessage,
  validateVapiReply,
  waitFor,
  type ConsultationScript,
  type VapiCallDelivery,
  type VapiCallPlan,
  type VapiSyncType,
} from '@dreamseed/testing';

/**
 * Replays of whole VAPI calls into a platform started with `startPlatform`: founders signed up through the
 * public API, deliveries checked against VAPI's schema before they go, and the rows and jobs that explain a
 * failure (the founder's profile, the calls' sessions, founder records and webhook logs, failed jobs).
 */
export interface Founder {
  id: string;
  token: string;
  phone: string;
  email: string;
}

export type Profile = Record<string, unknown>;

type Json = Record<string, unknown>;

/** A US number in a range no other test uses (+1737 555 01xx style, with a random tail). */
export const newPhone = () => `+1737${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** The plan of one consultation call from a script of the default consultation. */
export function consultationPlan(script: ConsultationScript, call: Pick<VapiCallPlan, 'callId' | 'direction' | 'customerNumber' | 'metadata'>): VapiCallPlan {
  return { ...call, stage: script.stage, lines: script.lines, summary: script.summary, structuredData: script.structuredData, startedAt: new Date() };
}

/** A delivery's type, with the status of a status update: `status-update:ringing`. */
export const deliveryLabel = ({ message }: VapiCallDelivery) => `${message.type}${'status' in message && message.status ? `:${String(message.status)}` : ''}`;

export class CallReplay {
  private readonly pool: pg.Pool;

  constructor(
    readonly gatewayUrl: string,
    private readonly secrets: { webhook: string; internal: string },
    private readonly queuePrefix: string,
  ) {
    this.pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 3 });
    this.pool.on('error', () => undefined);
  }

  async api<T = Json>(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.gatewayUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
  }

  /**
   * A founder signed up through `/auth/v1/signup` (autoconfirmed), their phone set through `PUT /auth/v1/user`
   * (confirmed at once: `npm start` sets AUTH_PHONE_AUTOCONFIRM).
   */
  async signUp(name: string): Promise<Founder> {
    const email = `replay-${randomUUID().slice(0, 8)}@example.com`;
    const signUp = await this.api<{ access_token?: string }>('/auth/v1/signup', {
      method: 'POST',
      body: { email, password: 'replay passphrase 1', data: { full_name: name } },
    });
    const token = signUp.body.access_token;
    if (!token) throw new Error(`sign-up gave no session (${signUp.status}): ${JSON.stringify(signUp.body)}`);
    const phone = newPhone();
    const changed = await this.api('/auth/v1/user', { method: 'PUT', token, body: { phone } });
    const profile = await this.profile({ id: '', token, phone, email });
    if (changed.status !== 200 || profile.customer_phone !== phone) throw new Error(`the phone was not set (${changed.status}): ${JSON.stringify(changed.body)}`);
    return { id: String(profile.id), token, phone, email };
  }

  async profile(founder: Founder): Promise<Profile> {
    const { status, body } = await this.api<Profile>('/v1/me', { token: founder.token });
    if (status !== 200) throw new Error(`GET /v1/me answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** Waits (30 s at most) until the founder's profile passes `check`; on time-out, says what it showed. */
  async untilProfile(founder: Founder, check: (profile: Profile) => boolean, what: string, callIds: string[] = []): Promise<Profile> {
    let last: Profile = {};
    try {
      return await waitFor(async () => {
        last = await this.profile(founder);
        return check(last) ? last : undefined;
      }, what, 30_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await this.diagnose(founder.id, callIds, last)}`);
    }
  }

  /**
   * Posts one delivery to `/webhooks/vapi` as VAPI would, after checking it against VAPI's schema (so that the
   * replays stay what VAPI sends); the webhook must take it (200). Returns the answer's body.
   */
  async send(delivery: VapiCallDelivery): Promise<Json> {
    expect({ delivery: deliveryLabel(delivery), ...validateVapiMessage(delivery) }).toEqual({ delivery: deliveryLabel(delivery), ok: true, errors: [] });
    const response = await fetch(`${this.gatewayUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': this.secrets.webhook },
      body: JSON.stringify(delivery),
    });
    const body = (await response.json().catch(() => ({}))) as Json;
    expect({ delivery: deliveryLabel(delivery), status: response.status }).toEqual({ delivery: deliveryLabel(delivery), status: 200 });
    return body;
  }

  /** A synchronous delivery (assistant-request, tool-calls): its answer must be what VAPI's reply schema allows. */
  async ask(delivery: VapiCallDelivery): Promise<Json> {
    const reply = await this.send(delivery);
    const type = delivery.message.type as VapiSyncType;
    expect({ reply: type, ...validateVapiReply(type, reply) }).toEqual({ reply: type, ok: true, errors: [] });
    return reply;
  }

  /** Posts deliveries one after the other, in the order given. */
  async sendAll(deliveries: VapiCallDelivery[]): Promise<void> {
    for (const delivery of deliveries) await this.send(delivery);
  }

  /**
   * Waits until the voice worker has settled every queued delivery of a call: `expected` log rows (one per distinct
   * event: a duplicate adds none), each processed or ignored. Returns the rows.
   */
  async untilSettled(vapiCallId: string, expected: number, founderId?: string) {
    type LogRow = { event_key: string; message_type: string; status: string; error: string | null; user_id: string | null };
    let rows: LogRow[] = [];
    try {
      await waitFor(async () => {
        rows = await this.query<LogRow>(`select event_key, message_type, status, error, user_id from voice.webhook_logs where vapi_call_id = $1 order by received_at`, [vapiCallId]);
        return rows.length >= expected && rows.every((row) => row.status === 'processed' || row.status === 'ignored');
      }, `${expected} webhook log rows of call ${vapiCallId} to be settled`, 30_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await this.diagnose(founderId ?? null, [vapiCallId])}`);
    }
    return rows;
  }

  /** The founder the gateway's internal API finds for a number (what the voice service asks); null for nobody. */
  async founderByPhone(phone: string): Promise<FounderCallContext | null> {
    const response = await fetch(`${this.gatewayUrl}${INTERNAL_PATHS.gateway.founderByPhone}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...internalHeaders(this.secrets.internal) },
      body: JSON.stringify({ phone }),
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`founder lookup answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as FounderCallContext;
  }

  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, values)).rows;
  }

  /** The founder's call-progress reports as the gateway recorded them: one row per report event applied or not. */
  callReports(userId: string) {
    return this.query<{ kind: string; outcome: string }>(
      `select kind, outcome from core.profile_events where user_id = $1 and kind like 'call-%' order by kind, received_at`,
      [userId],
    );
  }

  /** Failed jobs (attempts exhausted) of every queue whose payload names one of `markers`. */
  async failedJobs(markers: string[]): Promise<{ queue: string; name: string; id?: string; failedReason: string }[]> {
    const connection = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const found = await Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const queue = new Queue(name, { connection, prefix: this.queuePrefix });
          try {
            const jobs = await queue.getFailed(0, 500);
            return jobs
              .filter((job) => markers.some((marker) => JSON.stringify(job.data).includes(marker)))
              .map((job) => ({ queue: name, name: job.name, id: job.id, failedReason: job.failedReason }));
          } finally {
            await queue.close();
          }
        }),
      );
      return found.flat();
    } finally {
      connection.disconnect();
    }
  }

  /** What explains a replay that did not end as expected: the profile, the calls' rows and the failed jobs. */
  async diagnose(userId: string | null, callIds: string[], profile?: Profile): Promise<string> {
    const section = async (title: string, read: () => Promise<unknown>) => {
      try {
        return `${title}: ${JSON.stringify(await read())}`;
      } catch (error) {
        return `${title}: (unreadable: ${(error as Error).message})`;
      }
    };
    const progress = profile && Object.fromEntries(Object.entries(profile).filter(([key]) => /^call_\d_completed|current_call_stage|status|next_call/.test(key)));
    const parts = await Promise.all([
      section('call_sessions', () =>
        this.query(`select vapi_call_id, user_id, call_stage, direction, status, ended_at from voice.call_sessions where vapi_call_id = any($1) or user_id = $2 order by created_at`, [callIds, userId]),
      ),
      section('call_founders', () => this.query(`select vapi_call_id, user_id, call_stage, source from voice.call_founders where vapi_call_id = any($1) or user_id = $2`, [callIds, userId])),
      section('voice_calls', () => this.query(`select call_stage, status, vapi_call_id, last_error, scheduled_for from voice.voice_calls where user_id = $1 order by created_at`, [userId])),
      section('webhook_logs', () =>
        this.query(`select vapi_call_id, event_key, status, error, user_id from voice.webhook_logs where vapi_call_id = any($1) order by received_at`, [callIds]),
      ),
      section('profile_events', async () => (userId ? this.query(`select id, kind, outcome from core.profile_events where user_id = $1 order by received_at`, [userId]) : [])),
      section('failed jobs', () => this.failedJobs([...callIds, ...(userId ? [userId] : [])])),
    ]);
    return [`/v1/me progress: ${JSON.stringify(progress ?? null)}`, ...parts].join('\n');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
