/**
 * The request table's measure: closed-loop rates with autocannon, in rounds, each read against the bare server
 * measured in the same round (a shared 2-core machine drifts by half within minutes).
 */
import autocannon from 'autocannon';
import { median } from './stats';

export const BASELINE = 'baseline: node:http JSON';
export const POST_BASELINE = 'baseline: node:http JSON, POST of webhook bodies';

export interface Scenario {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (events that must not be duplicates of each other). */
  bodyFor?: (n: number) => string;
  /** Each is tried; the best rate is the scenario's maximum (a server's best concurrency differs). */
  connections: number[];
  /**
   * Which baseline the rate is a ratio of: the bare server taking the same kind of requests. A fresh body per
   * request costs the load generator (one process on the same two cores) far more than a fixed request, so a
   * POST of fresh webhook bodies is compared with the bare server taking those very bodies.
   */
  baseline?: 'post';
}

export interface Measured {
  name: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface Result extends Measured {
  ratioOfBaseline: number | null;
  /** Requests per second in each round (the row shows the median round's figures). */
  rounds?: number[];
}

/** The scenarios measured in rounds, in order, and each one's figures over them. */
export interface RoundsResult {
  scenarios: Scenario[];
  rounds: Measured[][];
  results: Result[];
}

async function measure(scenario: Scenario, seconds: number): Promise<Measured> {
  let best: Measured | undefined;
  for (const connections of scenario.connections) {
    const result = await measureAt(scenario, connections, seconds);
    if (!best || result.requestsPerSecond > best.requestsPerSecond) best = result;
  }
  return best as Measured;
}

async function measureAt(scenario: Scenario, connections: number, seconds: number): Promise<Measured> {
  let sent = 0;
  const result = await autocannon({
    url: scenario.url,
    method: scenario.method ?? 'GET',
    headers: scenario.headers,
    body: scenario.body,
    connections,
    duration: seconds,
    ...(scenario.bodyFor
      ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: scenario.bodyFor?.((sent += 1)) }) }] }
      : {}),
  });
  return {
    name: scenario.name,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * Every scenario once per round, `rounds` times; `beforeRound` runs first in each (a queue left to drain). Each
 * row's ratio is the median over the rounds of its rate ÷ that round's baseline, so the scenarios must include
 * the baselines they name.
 */
export async function measureRounds(scenarios: Scenario[], options: { rounds: number; seconds: number; beforeRound?: () => Promise<void> }): Promise<RoundsResult> {
  const rounds: Measured[][] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    await options.beforeRound?.();
    const measured = [];
    for (const scenario of scenarios) measured.push(await measure(scenario, options.seconds));
    rounds.push(measured);
  }
  const baselineOf = (scenario: Scenario) => scenarios.findIndex((s) => s.name === (scenario.baseline === 'post' ? POST_BASELINE : BASELINE));
  const results: Result[] = scenarios.map((scenario, index) => {
    const runs = rounds.map((measured) => ({ run: measured[index] as Measured, baseline: measured[baselineOf(scenario)] as Measured }));
    const ratios = runs.map(({ run, baseline }) => run.requestsPerSecond / baseline.requestsPerSecond);
    const typical = [...runs].sort((a, b) => a.run.requestsPerSecond - b.run.requestsPerSecond)[Math.floor(runs.length / 2)]?.run;
    return {
      ...(typical as Measured),
      errors: runs.reduce((sum, { run }) => sum + run.errors, 0),
      non2xx: runs.reduce((sum, { run }) => sum + run.non2xx, 0),
      ratioOfBaseline: scenario.name.startsWith('baseline:') ? null : Number(median(ratios).toFixed(4)),
      rounds: runs.map(({ run }) => run.requestsPerSecond),
    };
  });
  return { scenarios, rounds, results };
}

/** The median over the rounds of one row's rate ÷ another's (rows named by how their names start). */
export function ratioBetween(measured: RoundsResult, row: string, of: string): number {
  const index = (start: string) => {
    const found = measured.scenarios.findIndex((scenario) => scenario.name.startsWith(start));
    if (found < 0) throw new Error(`no row ${start}`);
    return found;
  };
  const [a, b] = [index(row), index(of)];
  return Number(median(measured.rounds.map((round) => (round[a]?.requestsPerSecond ?? 0) / (round[b]?.requestsPerSecond ?? 1))).toFixed(3));
}

export function printTable(results: Result[]) {
  const rows = results.map((r) => [
    r.name,
    String(r.connections),
    String(r.requestsPerSecond),
    (r.rounds ?? []).join(' / '),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    r.ratioOfBaseline === null ? '1 (baseline)' : r.ratioOfBaseline.toFixed(3),
    String(r.errors + r.non2xx),
  ]);
  printRows(['scenario', 'connections', 'req/s', 'each round', 'p50 ms', 'p99 ms', 'req/s ÷ baseline', 'errors'], rows);
}

/** A markdown table, its columns padded to their widest cell. */
export function printRows(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
}
