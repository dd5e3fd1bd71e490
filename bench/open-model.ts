/**
 * Latency at a fixed arrival rate (open model): requests leave on schedule whatever the answers, and each
 * latency counts from its scheduled time, so slow answers cannot hide behind fewer requests sent.
 *
 * The client is a pool of keep-alive TCP connections speaking just enough HTTP/1.1 (one request at a time per
 * connection, answers framed by Content-Length). node:http's client costs several times more CPU per request,
 * and on a small machine the load generator's CPU is taken from the server it measures; the figure should be
 * the server's, not the generator's.
 *
 * The pool is opened before the round (`preopen`, default 100 ms of arrivals), each connection used once, as a
 * sender at a steady rate holds its connections. Opened as needed instead, any pause of the server leaves every
 * connection busy and the client opens a hundred or more at once; a new connection costs the server several
 * times a request on an open one, and their first requests made up the half-load tail (see docs/performance-notes.md,
 * "Half-load tail").
 * The client still opens more when all are busy, and their latency counts. `preopen: 0` measures that case.
 */
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuMicrosOf, median, percentile, round } from './stats';

interface Pending {
  scheduled: number;
  counted: boolean;
  resolve: () => void;
}

interface Connection {
  socket: net.Socket;
  buffered: Buffer;
  pending?: Pending;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** As many as a busy VAPI account might hold open; beyond it requests queue in the client (and count). */
const MAX_CONNECTIONS = 1024;
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

export async function openModel(options: {
  url: string;
  headers: Record<string, string>;
  body: (n: number) => string;
  rate: number;
  seconds: number;
  warmupSeconds?: number;
  /** Connections opened (and used once) before the round; default 100 ms of arrivals. */
  preopen?: number;
  /** Server processes whose CPU time is read over the round (warm-up included, the pool's opening not). */
  servers?: Record<string, number | undefined>;
}) {
  const target = new URL(options.url);
  const head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n${Object.entries(options.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}`;
  const warmup = Math.round(options.rate * (options.warmupSeconds ?? 1));
  const total = warmup + Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let errors = 0;
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  let opened = 0;

  const settle = (connection: Connection, status: number) => {
    const pending = connection.pending;
    if (!pending) return;
    connection.pending = undefined;
    if (pending.counted) {
      if (status < 200 || status >= 300) errors += 1;
      latencies.push(performance.now() - pending.scheduled);
    }
    pending.resolve();
  };

  const open = (): Connection => {
    const connection: Connection = { socket: net.connect(Number(target.port), target.hostname), buffered: Buffer.alloc(0) };
    connection.socket.setNoDelay(true);
    connection.socket.on('data', (chunk: Buffer) => {
      connection.buffered = connection.buffered.length ? Buffer.concat([connection.buffered, chunk]) : chunk;
      const end = connection.buffered.indexOf(HEADER_END);
      if (end < 0) return;
      const headers = connection.buffered.toString('latin1', 0, end);
      const length = Number(CONTENT_LENGTH.exec(headers)?.[1] ?? 0);
      if (connection.buffered.length < end + 4 + length) return;
      connection.buffered = connection.buffered.subarray(end + 4 + length);
      settle(connection, Number(headers.slice(9, 12)));
      if (/\r\nconnection:\s*close/i.test(headers)) connection.socket.destroy();
      else release(connection);
    });
    const lost = () => {
      all.delete(connection);
      const index = idle.indexOf(connection);
      if (index >= 0) idle.splice(index, 1);
      settle(connection, 0);
      const next = backlog.shift();
      if (next) write(open(), next.n, next.pending);
    };
    // An error is always followed by 'close', where the connection is given up once.
    connection.socket.on('error', () => undefined);
    connection.socket.on('close', lost);
    all.add(connection);
    opened += 1;
    return connection;
  };

  // Requests waiting for a connection once MAX_CONNECTIONS are busy; their latency still runs from schedule.
  const backlog: { n: number; pending: Pending }[] = [];
  const write = (connection: Connection, n: number, pending: Pending) => {
    const payload = options.body(n);
    connection.pending = pending;
    connection.socket.write(`${head}content-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
  };
  const release = (connection: Connection) => {
    const next = backlog.shift();
    if (next) write(connection, next.n, next.pending);
    else idle.push(connection);
  };
  const send = (n: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      // Sent a little early (the timer's grain is a millisecond): counted from when it left, never below zero.
      const pending = { scheduled: Math.min(scheduled, performance.now()), counted: n >= warmup, resolve };
      const connection = idle.pop() ?? (all.size < MAX_CONNECTIONS ? open() : undefined);
      if (connection) write(connection, n, pending);
      else backlog.push({ n, pending });
    });

  // The generator's own delays count against the server (it sends late), and on two shared cores the scheduler
  // can leave any process waiting tens of milliseconds: the measuring process goes first where it may.
  const priority = os.getPriority();
  const raised = raisePriority(priority);
  const preopen = Math.min(MAX_CONNECTIONS, options.preopen ?? Math.ceil(options.rate / 10));
  await Promise.all(
    Array.from({ length: preopen }, (_, i) => new Promise<void>((resolve) => write(open(), -1 - i, { scheduled: performance.now(), counted: false, resolve }))),
  );
  const servers = Object.entries(options.servers ?? {});
  const cpuBefore = servers.map(([, pid]) => cpuMicrosOf(pid));
  const inflight: Promise<void>[] = [];
  const begin = performance.now();
  for (let n = 0; n < total; n += 1) {
    const scheduled = begin + (n * 1000) / options.rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(send(n, scheduled));
  }
  await Promise.all(inflight);
  const cpuMicros = Object.fromEntries(
    servers.map(([name, pid], i) => {
      const [before, after] = [cpuBefore[i], cpuMicrosOf(pid)];
      return [name, before == null || after == null ? null : after - before];
    }),
  );
  if (raised) os.setPriority(priority);
  for (const connection of all) connection.socket.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rate: options.rate,
    requests: total - warmup,
    connections: opened,
    errors,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
    raisedPriority: raised,
    preopened: preopen,
    /** Connections the client had to open during the round, all of the pool's being busy. */
    openedInRound: opened - preopen,
    sent: total,
    cpuMicros,
  };
}

/** Raises this process's scheduling priority (root only; elsewhere it is measured as it is). */
function raisePriority(from: number): boolean {
  try {
    os.setPriority(Math.max(-20, from - 10));
    return true;
  } catch {
    return false;
  }
}

/**
 * `openModel` in `rounds` runs one after the other; the figures are the medians over the rounds, each round's
 * p99 listed. One run's p99 is decided by its 1% slowest requests, which a single stall of the shared machine
 * (a few tens of milliseconds at thousands of requests per second) fills alone.
 */
export async function openModelRounds(options: Omit<Parameters<typeof openModel>[0], 'servers'>, rounds: number, servers: Record<string, number | undefined> = {}) {
  const runs: Awaited<ReturnType<typeof openModel>>[] = [];
  for (let round = 0; round < rounds; round += 1) runs.push(await openModel({ ...options, servers }));
  // What each server process spent per request sent (warm-up included): at a fixed rate, how close it is to a
  // full core, which decides how long a queue takes to drain after any pause.
  const sent = runs.reduce((sum, run) => sum + run.sent, 0);
  const cpuMicrosPerRequest = Object.fromEntries(
    Object.keys(servers).map((name) => {
      const spent = runs.map((run) => run.cpuMicros[name]);
      return [name, spent.some((micros) => micros == null) ? null : Math.round(spent.reduce((sum: number, micros) => sum + (micros as number), 0) / sent)];
    }),
  );
  return {
    rate: options.rate,
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    p50Ms: round(median(runs.map((run) => run.p50Ms))),
    p99Ms: round(median(runs.map((run) => run.p99Ms))),
    maxMs: Math.max(...runs.map((run) => run.maxMs)),
    p99Rounds: runs.map((run) => run.p99Ms),
    raisedPriority: runs.every((run) => run.raisedPriority),
    preopened: runs[0]?.preopened ?? 0,
    openedInRounds: runs.map((run) => run.openedInRound),
    cpuMicrosPerRequest,
  };
}
