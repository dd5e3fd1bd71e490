import pino from 'pino';
import { Registry } from 'prom-client';
import { parsePrometheusText } from '@dreamseed/testing';
import { BusinessFiguresCache, registerBusinessMetrics, type BusinessFigures } from './business-metrics';

const figures = (signedUp: number): BusinessFigures => ({
  foundersSignedUp: signedUp,
  callsCompleted: { 1: 5, 2: 4, 3: 3, 4: 2 },
  dreamDnaCreated: 4,
  domainsSelected: 2,
  payments: [{ package: 'one_time', founders: 1 }],
  revenue: [{ package: 'one_time', currency: 'usd', minor: 49900 }],
  stuck: { idle: 3, analysis_failed: 1, outbound_call_failed: 0, outbound_call_unanswered: 0, domain_registration_failed: 0, failed_job: 2 },
});

describe('the business metrics', () => {
  const logger = pino({ level: 'silent' });

  function metricsOver(read: () => Promise<BusinessFigures>, maxAgeMs: number) {
    const registry = new Registry();
    registerBusinessMetrics(registry, new BusinessFiguresCache(read, logger, maxAgeMs));
    return async () => parsePrometheusText(await registry.metrics());
  }

  it('exposes every figure with its labels, reading once per scrape however many gauges ask', async () => {
    const read = jest.fn(async () => figures(10));
    const scrape = await metricsOver(read, 0)();
    expect(read).toHaveBeenCalledTimes(1);
    expect(scrape.find('dreamseed_business_metrics_up')[0]?.value).toBe(1);
    expect(scrape.find('dreamseed_founders_signed_up')[0]?.value).toBe(10);
    expect(scrape.find('dreamseed_calls_completed').map((s) => [s.labels.stage, s.value])).toEqual([
      ['1', 5],
      ['2', 4],
      ['3', 3],
      ['4', 2],
    ]);
    expect(scrape.find('dreamseed_dream_dna_created')[0]?.value).toBe(4);
    expect(scrape.find('dreamseed_domains_selected')[0]?.value).toBe(2);
    expect(scrape.find('dreamseed_payments', { package: 'one_time' })[0]?.value).toBe(1);
    expect(scrape.find('dreamseed_revenue_minor', { package: 'one_time', currency: 'usd' })[0]?.value).toBe(49900);
    expect(Object.fromEntries(scrape.find('dreamseed_stuck_founders').map((s) => [s.labels.reason, s.value]))).toEqual(figures(10).stuck);
    for (const name of scrape.seriesNames()) expect(name).not.toMatch(/_total$/);
  });

  it('answers scrapes within the maximum age from the figures it has', async () => {
    let reads = 0;
    const read = jest.fn(async () => figures((reads += 1)));
    const scrape = metricsOver(read, 60_000);
    await scrape();
    const second = await scrape();
    expect(read).toHaveBeenCalledTimes(1);
    expect(second.find('dreamseed_founders_signed_up')[0]?.value).toBe(1);
  });

  it('keeps the last figures and reports up 0 when a read fails, and 1 again once one works', async () => {
    let failing = false;
    const read = jest.fn(async () => {
      if (failing) throw new Error('connection terminated');
      return figures(7);
    });
    const scrape = metricsOver(read, 0);
    await scrape();
    failing = true;
    const failed = await scrape();
    expect(failed.find('dreamseed_business_metrics_up')[0]?.value).toBe(0);
    expect(failed.find('dreamseed_founders_signed_up')[0]?.value).toBe(7);
    expect(failed.find('dreamseed_revenue_minor', { package: 'one_time', currency: 'usd' })[0]?.value).toBe(49900);
    failing = false;
    expect((await scrape()).find('dreamseed_business_metrics_up')[0]?.value).toBe(1);
  });

  it('reports up 0 and no labelled series before any read worked (a gauge without labels always shows a value: 0)', async () => {
    const scrape = await metricsOver(async () => Promise.reject(new Error('no database')), 0)();
    expect(scrape.find('dreamseed_business_metrics_up')[0]?.value).toBe(0);
    expect(scrape.find('dreamseed_payments')).toEqual([]);
    expect(scrape.find('dreamseed_stuck_founders')).toEqual([]);
  });
});
