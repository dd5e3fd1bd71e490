import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { GatewayJobs, JobInputOf } from '@dreamseed/contracts';
import { migrateAll } from '@dreamseed/platform';
import { createFreshDatabase, type FreshDatabase } from '@dreamseed/platform/testing';
import { parsePrometheusText, testInfra, WORKSPACE_ROOT } from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';
import { createGatewayDb } from '../db/client';
import { readBusinessFigures, type BusinessFigures } from './business-metrics';

// The figures count every founder in the database: on the shared `test` database, specs running beside this one
// sign founders up, delete them and make them operators while it counts, so it counts in a database of its own.
describe("the gateway's business metrics", () => {
  let database: FreshDatabase;
  let gateway: TestGateway;

  beforeAll(async () => {
    database = await createFreshDatabase(testInfra().databaseUrl, 'business_metrics');
    await migrateAll(database.url, WORKSPACE_ROOT);
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await gateway.stop();
    await database.drop();
  });

  async function report<N extends keyof GatewayJobs & string>(name: N, payload: Omit<JobInputOf<GatewayJobs, N>, 'v' | 'eventId' | 'occurredAt'>) {
    expect(await gateway.run('gateway', name, { v: 1, eventId: randomUUID(), occurredAt: new Date().toISOString(), ...payload } as JobInputOf<GatewayJobs, N>)).toEqual({ outcome: 'applied' });
  }

  const figures = () => readBusinessFigures(createGatewayDb(gateway.pool), gateway.producer);
  const nobodyStuck = { idle: 0, analysis_failed: 0, outbound_call_failed: 0, outbound_call_unanswered: 0, failed_job: 0, domain_registration_failed: 0 };
  const nothing: BusinessFigures = {
    foundersSignedUp: 0,
    callsCompleted: { 1: 0, 2: 0, 3: 0, 4: 0 },
    dreamDnaCreated: 0,
    domainsSelected: 0,
    payments: [],
    revenue: [],
    stuck: nobodyStuck,
  };

  it('move as founders sign up, complete calls, get a Dream DNA and a domain, pay and get stuck', async () => {
    expect(await figures()).toEqual(nothing);
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery' });
    const userId = String(data.user?.app_metadata.profile_id);
    expect(await figures()).toEqual({ ...nothing, foundersSignedUp: 1 });

    await report('profile-call-completed', { userId, callStage: 1, callId: randomUUID() });
    await report('profile-analysis-ready', { userId, dreamDnaVersion: 1 });
    await report('profile-domain-selected', { userId, domain: 'seedbakery.com' });
    await report('profile-payment-updated', { userId, paymentStatus: 'paid', amountPaid: 49900, currency: 'usd', paymentDate: new Date().toISOString(), subscriptionType: null });
    await report('founder-attention', { userId, kind: 'outbound_call_unanswered', state: 'raised' });
    expect(await figures()).toEqual({
      foundersSignedUp: 1,
      callsCompleted: { 1: 1, 2: 0, 3: 0, 4: 0 },
      dreamDnaCreated: 1,
      domainsSelected: 1,
      payments: [{ package: 'one_time', founders: 1 }],
      revenue: [{ package: 'one_time', currency: 'usd', minor: 49900 }],
      stuck: { ...nobodyStuck, outbound_call_unanswered: 1 },
    });

    // An operator's own account is no founder.
    await gateway.pool.query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role":"operator"}' where id = $1`, [data.user?.id]);
    expect(await figures()).toEqual(nothing);
  });

  it("are on the gateway's /metrics, with every dreamseed_* metric and label the dashboard and the alerts use", async () => {
    // A paid founder, so that the gauges with labels have series.
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery' });
    const userId = String(data.user?.app_metadata.profile_id);
    await report('profile-payment-updated', { userId, paymentStatus: 'paid', amountPaid: 2900, currency: 'usd', paymentDate: new Date().toISOString(), subscriptionType: 'monthly' });
    const scrape = parsePrometheusText(await (await fetch(gateway.metricsUrl)).text());
    expect(scrape.find('dreamseed_business_metrics_up')[0]?.value).toBe(1);
    expect(scrape.find('dreamseed_founders_signed_up')[0]?.value).toBeGreaterThan(0);
    expect(scrape.find('dreamseed_calls_completed').map((sample) => sample.labels.stage).sort()).toEqual(['1', '2', '3', '4']);
    expect(scrape.find('dreamseed_stuck_founders').map((sample) => sample.labels.reason).sort()).toEqual(
      ['analysis_failed', 'domain_registration_failed', 'failed_job', 'idle', 'outbound_call_failed', 'outbound_call_unanswered'],
    );

    const labelsOf = new Map<string, Set<string>>();
    for (const sample of scrape.samples) labelsOf.set(sample.name, new Set([...(labelsOf.get(sample.name) ?? []), ...Object.keys(sample.labels)]));
    const dashboard = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const rules = parseYaml(readFileSync(path.join(WORKSPACE_ROOT, 'docs/prometheus-alerts.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
    const expressions = [...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)), ...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr))];
    const problems: string[] = [];
    let checked = 0;
    for (const expr of expressions) {
      // The selectors (`name{label="…"}`) and the grouping labels (`by (…)`) of each expression that uses a figure.
      for (const [, metric, matchers] of expr.matchAll(/\b(dreamseed_[a-z_]+)(?:\{([^}]*)\})?/g)) {
        checked += 1;
        const known = labelsOf.get(metric as string);
        if (!known) problems.push(`${expr}: ${metric} is not exposed`);
        const used = [...(matchers ?? '').matchAll(/([a-z_]+)\s*[=!~]/g)].map(([, label]) => label as string);
        for (const label of used) if (known && !known.has(label)) problems.push(`${expr}: ${metric} has no label ${label}`);
      }
      if (!expr.includes('dreamseed_')) continue;
      for (const [, grouping] of expr.matchAll(/\bby \(([^)]*)\)/g)) {
        const carried = new Set([...expr.matchAll(/\b(dreamseed_[a-z_]+)/g)].flatMap(([, metric]) => [...(labelsOf.get(metric as string) ?? [])]));
        for (const label of (grouping as string).split(',').map((l) => l.trim())) if (!carried.has(label)) problems.push(`${expr}: groups by ${label}, which its metrics lack`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});
