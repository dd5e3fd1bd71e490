/**
 * docs/grafana-dashboard.json and the alert rules beside it (docs/prometheus-alerts.yml) must keep matching what
 * the apps expose: every PromQL expression in them parses, and every metric and label it uses is in a real
 * `/metrics` scrape of the platform's HTTP skeleton. Renaming a metric or a label without updating them fails
 * here instead of leaving an empty panel or an alert that never fires. The gateway's business figures
 * (`dreamseed_*`) are not in the skeleton: apps/gateway/src/operator/business-metrics.int-spec.ts checks every one
 * these files use, with its labels, against a running gateway's scrape.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { createHttpApp, createMetrics, createMetricsApp, listen, Readiness } from '@dreamseed/platform';
import { parsePrometheusText, WORKSPACE_ROOT } from '@dreamseed/testing';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}
interface TemplateVariable {
  name: string;
  type: string;
  query?: string | { query: string };
  datasource?: { uid: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  __inputs: { name: string; type: string; pluginId: string }[];
  templating: { list: TemplateVariable[] };
  panels: Panel[];
}

const dashboard = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as Dashboard;
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
const panels = allPanels(dashboard.panels);
const graphs = panels.filter((panel) => panel.type !== 'row');
const variables = dashboard.templating.list;
const GRAFANA_BUILTINS = new Set(['__rate_interval', '__interval', '__range', '__all']);
/** The gateway's business figures, checked against the gateway's own scrape (see the header). */
const gatewayOnly = (metric: string) => metric.startsWith('dreamseed_');

/** A metric selector and the labels its matchers name. */
interface Selector {
  metric: string;
  labels: string[];
}
interface Analysis {
  selectors: Selector[];
  /** Labels in `by (...)`, `without (...)`, `on (...)` and `label_values(..., label)`. */
  grouping: string[];
  errors: string[];
}

/**
 * Parses one expression with Prometheus' own PromQL grammar. Grafana's variables are first replaced by values
 * of the right kind (`$__rate_interval` by a duration, the rest sit inside label strings); `label_values(m, l)`
 * of a template variable is read as the selector `m` and the label `l`.
 */
function analysePromQl(expression: string): Analysis {
  const labelValues = /^\s*label_values\(\s*(?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(expression);
  const source = (labelValues ? (labelValues[1] ?? '') : expression)
    .replace(/\$(__rate_interval|__interval|__range)\b/g, '5m')
    .replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, 'x');
  const analysis: Analysis = { selectors: [], grouping: labelValues?.[2] ? [labelValues[2]] : [], errors: [] };
  if (!source.trim()) return analysis;
  const text = (node: { from: number; to: number } | null) => (node ? source.slice(node.from, node.to) : '');
  parser.parse(source).iterate({
    enter(ref) {
      if (ref.type.isError) analysis.errors.push(`${expression}: syntax error at ${ref.from}`);
      if (ref.name === 'VectorSelector') {
        const matchers = ref.node.getChild('LabelMatchers');
        analysis.selectors.push({
          metric: text(ref.node.getChild('Identifier')),
          labels: (matchers?.getChildren('UnquotedLabelMatcher') ?? []).map((matcher) => text(matcher.getChild('LabelName'))),
        });
      }
      if (ref.name === 'GroupingLabels') analysis.grouping.push(...ref.node.getChildren('LabelName').map(text));
    },
  });
  return analysis;
}

const expressions = [
  ...graphs.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
  ...variables
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      where: `variable $${variable.name}`,
      expr: typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? ''),
    })),
];

/** Series name → the labels it can carry, from a scrape of a started HTTP app and the registry behind it. */
const exposed = new Map<string, Set<string>>();

beforeAll(async () => {
  const metrics = createMetrics('dashboard-check');
  const logger = pino({ level: 'silent' });
  const http = await listen(createHttpApp({ logger, metrics, readiness: new Readiness([]) }), 0, '127.0.0.1');
  const metricsHttp = await listen(createMetricsApp(metrics, logger), 0, '127.0.0.1');
  try {
    await fetch(`http://127.0.0.1:${http.port}/health/live`); // one request observed, as in any running app
    const scrape = parsePrometheusText(await (await fetch(`http://127.0.0.1:${metricsHttp.port}/metrics`)).text());
    const labelsOf = new Map(
      metrics.registry.getMetricsAsArray().map((metric) => {
        const { name, labelNames } = metric as unknown as { name: string; labelNames?: readonly string[] };
        return [name, labelNames ?? []] as const;
      }),
    );
    // Every app's registry adds `service`; Prometheus adds `job` and `instance` when it scrapes.
    const common = ['service', 'job', 'instance'];
    for (const series of scrape.seriesNames()) {
      const family = [...labelsOf.keys()].find(
        (name) => series === name || (series.startsWith(name) && /^_(bucket|count|sum)$/.test(series.slice(name.length))),
      );
      const observed = scrape.find(series).flatMap((sample) => Object.keys(sample.labels));
      exposed.set(series, new Set([...common, ...(family ? labelsOf.get(family) ?? [] : []), ...observed, ...(series.endsWith('_bucket') ? ['le'] : [])]));
    }
  } finally {
    await Promise.all([http.close(Promise.resolve()), metricsHttp.close(Promise.resolve())]);
  }
});

describe('docs/grafana-dashboard.json', () => {
  it('reads metric names and labels out of PromQL, and tells a made-up metric from a real one', () => {
    const analysis = analysePromQl(
      'histogram_quantile(0.95, sum by (le, queue) (rate(job_duration_seconds_bucket{service=~"$service", outcome="completed"}[$__rate_interval]))) / nope_total',
    );
    expect(analysis).toEqual({
      selectors: [
        { metric: 'job_duration_seconds_bucket', labels: ['service', 'outcome'] },
        { metric: 'nope_total', labels: [] },
      ],
      grouping: ['le', 'queue'],
      errors: [],
    });
    expect(exposed.has('job_duration_seconds_bucket')).toBe(true);
    expect(exposed.has('nope_total')).toBe(false);
    expect(analysePromQl('label_values(process_cpu_seconds_total{service=~"$service"}, instance)')).toEqual({
      selectors: [{ metric: 'process_cpu_seconds_total', labels: ['service'] }],
      grouping: ['instance'],
      errors: [],
    });
    expect(analysePromQl('sum(rate(http_request_duration_seconds_count[5m])').errors).not.toEqual([]);
  });

  it('is an importable Grafana dashboard: a Prometheus input, a data source variable, service and instance variables', () => {
    expect(dashboard).toMatchObject({ uid: 'dreamseed-ops', title: expect.any(String), schemaVersion: 39 });
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    expect(variables.map((variable) => `${variable.name}:${variable.type}`)).toEqual(['datasource:datasource', 'service:query', 'instance:query']);
    for (const variable of variables.filter((v) => v.type === 'query')) expect(variable.datasource?.uid).toBe('${datasource}');
  });

  it('lays out panels with unique ids on the 24-column grid without overlaps, each on the chosen data source', () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    const taken = new Map<string, string>();
    const problems: string[] = [];
    for (const panel of panels) {
      const { x, y, w, h } = panel.gridPos;
      if (x < 0 || w <= 0 || x + w > 24 || h <= 0) problems.push(`${panel.title} does not fit the grid`);
      for (let row = y; row < y + h; row += 1) {
        for (let column = x; column < x + w; column += 1) {
          const other = taken.get(`${row}:${column}`);
          if (other) problems.push(`${panel.title} overlaps ${other}`);
          taken.set(`${row}:${column}`, panel.title);
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
    for (const panel of graphs) {
      expect({ panel: panel.title, datasource: panel.datasource?.uid }).toEqual({ panel: panel.title, datasource: '${datasource}' });
      const targets = panel.targets ?? [];
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets.map((target) => target.refId)).size).toBe(targets.length);
      for (const target of targets) expect(target.datasource?.uid).toBe('${datasource}');
    }
  });

  it('has only valid PromQL that uses defined variables', () => {
    const defined = new Set([...variables.map((variable) => variable.name), ...GRAFANA_BUILTINS]);
    const problems: string[] = [];
    for (const { where, expr } of expressions) {
      problems.push(...analysePromQl(expr).errors.map((error) => `${where}: ${error}`));
      for (const [, name] of expr.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
        if (!defined.has(name as string)) problems.push(`${where}: $${name} is not a variable of the dashboard`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('queries only metrics that /metrics exposes, with labels those metrics carry', () => {
    expect(expressions.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const { where, expr } of expressions) {
      const { selectors, grouping } = analysePromQl(expr);
      if (selectors.length === 0) problems.push(`${where}: no metric in ${expr}`);
      const carried = new Set<string>();
      if (selectors.length > 0 && selectors.every(({ metric }) => gatewayOnly(metric))) continue;
      for (const { metric, labels } of selectors) {
        const known = exposed.get(metric);
        if (!known) problems.push(`${where}: ${metric || '(a selector without a name)'} is not exposed`);
        for (const label of labels) if (known && !known.has(label)) problems.push(`${where}: ${metric} has no label ${label}`);
        known?.forEach((label) => carried.add(label));
      }
      for (const label of grouping) if (!carried.has(label)) problems.push(`${where}: groups by ${label}, which its metrics lack`);
    }
    expect(problems).toEqual([]);
  });

  it('covers HTTP routes, queues, jobs and the processes', () => {
    const used = new Set(expressions.flatMap(({ expr }) => analysePromQl(expr).selectors.map((selector) => selector.metric)));
    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'bullmq_queue_jobs',
      'jobs_finished_total',
      'job_duration_seconds_bucket',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(used).toContain(metric);
    }
  });

  it("has the founders' funnel: founders at each step, payments, revenue by package and stuck founders", () => {
    const used = new Set(expressions.flatMap(({ expr }) => analysePromQl(expr).selectors.map((selector) => selector.metric)));
    for (const metric of [
      'dreamseed_founders_signed_up',
      'dreamseed_calls_completed',
      'dreamseed_dream_dna_created',
      'dreamseed_domains_selected',
      'dreamseed_payments',
      'dreamseed_revenue_minor',
      'dreamseed_stuck_founders',
    ]) {
      expect(used).toContain(metric);
    }
    // Every gateway replica reports the same figures: each is taken with max (or min), never summed across replicas.
    for (const { where, expr } of expressions.filter(({ expr }) => /dreamseed_/.test(expr))) {
      const taken = expr.match(/\b(max|min)( by \([a-z_, ]+\))? ?\(dreamseed_/g) ?? [];
      expect({ where, takesMax: taken.length === (expr.match(/dreamseed_/g) ?? []).length }).toEqual({ where, takesMax: true });
    }
  });
});

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const alertRules = (parseYaml(readFileSync(path.join(WORKSPACE_ROOT, 'docs/prometheus-alerts.yml'), 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] }).groups;
const alerts = alertRules.flatMap((group) => group.rules);

describe('docs/prometheus-alerts.yml', () => {
  it('is a Prometheus rule file: named groups of alerts, each with a severity, a summary and a description', () => {
    expect(alertRules.length).toBeGreaterThan(0);
    for (const group of alertRules) expect(group.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(new Set(alerts.map((rule) => rule.alert)).size).toBe(alerts.length);
    for (const rule of alerts) {
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({ alert: expect.stringMatching(/^DreamSeed[A-Za-z]+$/), severity: expect.stringMatching(/^(page|warn)$/) });
      expect(rule.annotations).toEqual(expect.objectContaining({ summary: expect.any(String), description: expect.any(String) }));
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smhd]$/);
    }
  });

  it('has only valid PromQL, on metrics and labels that /metrics exposes', () => {
    const problems: string[] = [];
    for (const rule of alerts) {
      const { selectors, grouping, errors } = analysePromQl(rule.expr);
      problems.push(...errors.map((error) => `${rule.alert}: ${error}`));
      const carried = new Set<string>();
      if (selectors.length > 0 && selectors.every(({ metric }) => gatewayOnly(metric))) continue;
      for (const { metric, labels } of selectors) {
        const known = exposed.get(metric);
        if (!known) problems.push(`${rule.alert}: ${metric} is not exposed`);
        for (const label of labels) if (known && !known.has(label)) problems.push(`${rule.alert}: ${metric} has no label ${label}`);
        known?.forEach((label) => carried.add(label));
      }
      for (const label of grouping) if (!carried.has(label)) problems.push(`${rule.alert}: groups by ${label}, which its metrics lack`);
      for (const [, label] of `${rule.annotations?.summary} ${rule.annotations?.description}`.matchAll(/\$labels\.([a-z_]+)/g)) {
        if (!grouping.includes(label as string)) problems.push(`${rule.alert}: its text names $labels.${label}, which its expression drops`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('tells operators of jobs that failed for good and of jobs that keep retrying, per queue', () => {
    const watched = alerts.map((rule) => rule.expr);
    expect(watched).toContainEqual(expect.stringMatching(/jobs_finished_total\{outcome="failed"\}/));
    expect(watched).toContainEqual(expect.stringMatching(/jobs_finished_total\{outcome="retried"\}/));
    expect(watched).toContainEqual(expect.stringMatching(/bullmq_queue_jobs\{state="failed"\}/));
  });

  it('tells operators when many founders are stuck for an hour', () => {
    const stuck = alerts.find((rule) => rule.alert === 'DreamSeedStuckFoundersHigh');
    expect(stuck).toMatchObject({ expr: expect.stringMatching(/^sum\(max by \(reason\) \(dreamseed_stuck_founders\)\) > \d+$/), for: '1h' });
  });
});
