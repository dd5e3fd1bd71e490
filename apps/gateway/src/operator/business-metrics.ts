import { sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout, type JobProducer, type Logger } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { countedFounders, JOURNEY_EVENT, readJourneys } from './journey';
import { STUCK_REASONS, stuckCounts, type StuckReason } from './stuck';

/** A scrape is answered from figures at most this old: every replica's scrapes together read Postgres about twice a minute. */
export const BUSINESS_METRICS_MAX_AGE_MS = 30_000;
/** How long a scrape waits for a refresh before answering with the figures it has. */
const SCRAPE_WAIT_MS = 3_000;
/** A refresh that takes longer is given up (and `dreamseed_business_metrics_up` goes to 0). */
const REFRESH_DEADLINE_MS = 20_000;

const CALL_STAGES = [1, 2, 3, 4] as const;

/**
 * What a payment bought, as far as the gateway knows: the profile holds the plan of a running subscription
 * (`monthly`, `yearly`) and whether the founder is paid, not billing's package id. A paid founder without a
 * subscription bought a one-time package (`one_time`); money kept from a subscription that has since ended is
 * `unknown`.
 */
export type PaymentPackage = 'monthly' | 'yearly' | 'one_time' | 'unknown';

export interface BusinessFigures {
  foundersSignedUp: number;
  callsCompleted: Record<(typeof CALL_STAGES)[number], number>;
  dreamDnaCreated: number;
  domainsSelected: number;
  payments: { package: PaymentPackage; founders: number }[];
  revenue: { package: PaymentPackage; currency: string; minor: number }[];
  stuck: Record<StuckReason, number>;
}

/** Reads the figures from Postgres (and the failed jobs from Redis). */
export async function readBusinessFigures(db: GatewayDb, producer: JobProducer): Promise<BusinessFigures> {
  const counted = await readJourneys(db, async (tx) => {
    const everyone = await tx.execute<Record<string, number>>(sql`
      with f as (${countedFounders})
      select count(*)::int as signed_up,
             ${sql.join(CALL_STAGES.map((stage) => sql`count(*) filter (where f.${sql.identifier(`call_${stage}_completed`)})::int as ${sql.identifier(`call_${stage}`)}`), sql`, `)},
             count(*) filter (where exists (${appliedEvent(JOURNEY_EVENT.dreamDna)}))::int as dream_dna,
             count(*) filter (where exists (${appliedEvent(JOURNEY_EVENT.domainSelected)}))::int as domains
        from f`);
    const money = await tx.execute<{ package: PaymentPackage; currency: string; paid: number; revenue: string }>(sql`
      with f as (${countedFounders})
      select case when f.subscription_type is not null then f.subscription_type
                  when f.payment_status = 'paid' then 'one_time' else 'unknown' end as package,
             f.currency, count(*) filter (where f.payment_status = 'paid')::int as paid, sum(f.amount_paid)::text as revenue
        from f
       where f.payment_status = 'paid' or f.amount_paid > 0
       group by 1, 2`);
    return { everyone: everyone.rows[0] ?? {}, money: money.rows };
  });
  const payments = new Map<PaymentPackage, number>();
  for (const row of counted.money) payments.set(row.package, (payments.get(row.package) ?? 0) + row.paid);
  const { everyone } = counted;
  return {
    foundersSignedUp: everyone.signed_up ?? 0,
    callsCompleted: { 1: everyone.call_1 ?? 0, 2: everyone.call_2 ?? 0, 3: everyone.call_3 ?? 0, 4: everyone.call_4 ?? 0 },
    dreamDnaCreated: everyone.dream_dna ?? 0,
    domainsSelected: everyone.domains ?? 0,
    payments: [...payments].map(([name, founders]) => ({ package: name, founders })),
    revenue: counted.money.filter((row) => Number(row.revenue) > 0).map((row) => ({ package: row.package, currency: row.currency, minor: Number(row.revenue) })),
    stuck: await stuckCounts(db, producer),
  };
}

const appliedEvent = (kind: string) => sql`select 1 from core.profile_events e where e.user_id = f.id and e.kind = ${kind} and e.outcome = 'applied'`;

/**
 * The figures a scrape answers with: read at most every `maxAgeMs` whoever asks (scrapes cannot load the
 * database), one read at a time, and on failure the last figures kept with `up` false.
 */
export class BusinessFiguresCache {
  private figures: BusinessFigures | undefined;
  private up = false;
  private triedAt = -Infinity;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<BusinessFigures>,
    private readonly logger: Logger,
    private readonly maxAgeMs = BUSINESS_METRICS_MAX_AGE_MS,
  ) {}

  async current(): Promise<{ figures: BusinessFigures | undefined; up: boolean }> {
    if (!this.reading && performance.now() - this.triedAt >= this.maxAgeMs) {
      this.triedAt = performance.now();
      this.reading = withTimeout(this.read(), REFRESH_DEADLINE_MS)
        .then((figures) => {
          this.figures = figures;
          this.up = true;
        })
        .catch((error: unknown) => {
          this.up = false;
          this.logger.warn({ err: error }, 'business metrics not refreshed; the last figures stay');
        })
        .finally(() => {
          this.reading = undefined;
        });
    }
    // A slow read is not waited for past the scrape's patience: the figures it has are the answer.
    if (this.reading) await withTimeout(this.reading, SCRAPE_WAIT_MS).catch(() => undefined);
    return { figures: this.figures, up: this.up };
  }
}

/**
 * The business's figures as Prometheus gauges in the gateway's registry, computed from Postgres when scraped
 * (through `BusinessFiguresCache`). Every gateway replica exports the same values: dashboards and alerts take
 * `max()` over them. Counts are of founders who count (not deleted, not operators) as they stand now, so they can
 * go down (a founder deleted); names carry no `_total`, which Prometheus keeps for counters. Until a first read
 * works, `dreamseed_business_metrics_up` is 0, the gauges without labels 0 and the others absent.
 */
export function registerBusinessMetrics(registry: Registry, cache: Pick<BusinessFiguresCache, 'current'>): void {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (gauge: Gauge<L>, figures: BusinessFigures) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const { figures } = await cache.current();
        if (!figures) return;
        this.reset();
        fill(this, figures);
      },
    });

  new Gauge({
    name: 'dreamseed_business_metrics_up',
    help: 'Whether the last read of the dreamseed_* business figures succeeded (1) or the figures shown are older (0)',
    registers: [registry],
    async collect() {
      this.set((await cache.current()).up ? 1 : 0);
    },
  });
  gauge('dreamseed_founders_signed_up', 'Founders with a profile (not deleted, not operators)', [], (g, f) => g.set(f.foundersSignedUp));
  gauge('dreamseed_calls_completed', 'Founders who completed the consultation call of each stage (1-4)', ['stage'], (g, f) => {
    for (const stage of CALL_STAGES) g.set({ stage: String(stage) }, f.callsCompleted[stage]);
  });
  gauge('dreamseed_dream_dna_created', 'Founders with a Dream DNA', [], (g, f) => g.set(f.dreamDnaCreated));
  gauge('dreamseed_domains_selected', 'Founders who selected a domain', [], (g, f) => g.set(f.domainsSelected));
  gauge('dreamseed_payments', 'Founders whose payment state is paid, by package (monthly, yearly, one_time)', ['package'], (g, f) => {
    for (const row of f.payments) g.set({ package: row.package }, row.founders);
  });
  gauge(
    'dreamseed_revenue_minor',
    "Money kept from founders (paid less refunded), in the currency's minor units, by package and currency",
    ['package', 'currency'],
    (g, f) => {
      for (const row of f.revenue) g.set({ package: row.package, currency: row.currency }, row.minor);
    },
  );
  gauge('dreamseed_stuck_founders', 'Founders who need an operator, by reason (GET /admin/api/stuck; idle means 7 days)', ['reason'], (g, f) => {
    for (const reason of STUCK_REASONS) g.set({ reason }, f.stuck[reason]);
  });
}

/** The gateway's business metrics on its registry, read from its database and queues. */
export function startBusinessMetrics(registry: Registry, deps: { db: GatewayDb; producer: JobProducer; logger: Logger }): BusinessFiguresCache {
  const cache = new BusinessFiguresCache(() => readBusinessFigures(deps.db, deps.producer), deps.logger);
  registerBusinessMetrics(registry, cache);
  return cache;
}
