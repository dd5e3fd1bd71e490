/**
 * The benchmark measures what ships: the apps as `tools/build.mjs` bundles them for the image, run by plain
 * `node` (the tests and `npm start` run the sources through tsx, whose transpiled output is slower). Its two
 * yardstick servers are bundled the same way, so that every server measured runs the same kind of code.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { runCommand, type RunningProcess } from '@dreamseed/testing';

const root = path.resolve(__dirname, '..');
export const BENCH_APPS = ['gateway', 'voice-service', 'analysis-service', 'domain-service'] as const;
export type BenchApp = (typeof BENCH_APPS)[number];
export const YARDSTICKS = ['baseline-server', 'enqueue-floor-server'] as const;
export type Yardstick = (typeof YARDSTICKS)[number];

/** Bundles the apps and the yardsticks the benchmark runs, once at its start. */
export function buildApps(): void {
  execFileSync(process.execPath, [path.join(root, 'tools/build.mjs'), ...BENCH_APPS], { cwd: root, stdio: 'inherit' });
  for (const name of YARDSTICKS) {
    buildSync({
      entryPoints: [path.join(root, 'bench', `${name}.ts`)],
      outfile: path.join(root, 'dist/bench', `${name}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      logLevel: 'warning',
    });
  }
}

/**
 * The image's node flags (the Dockerfile's start command, with its default V8_POOL_SIZE), then any of
 * BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles", for every process started here.
 */
const IMAGE_NODE_ARGS = ['--v8-pool-size=1'];
const nodeArgs = () => [...IMAGE_NODE_ARGS, ...(process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];

export function runApp(app: BenchApp, env: Record<string, string | undefined>): RunningProcess {
  return runCommand(process.execPath, [...nodeArgs(), path.join(root, 'dist/apps', app, 'main.js')], env, root);
}

export function runYardstick(name: Yardstick, env: Record<string, string | undefined> = {}): RunningProcess {
  return runCommand(process.execPath, [...nodeArgs(), path.join(root, 'dist/bench', `${name}.js`)], env, root);
}

/**
 * An app whose output goes to `logFile` instead of to the benchmark, as a container's goes to its log driver:
 * the app pays for writing its log lines and the load generator pays nothing for reading them.
 */
export function runAppLoggingTo(app: BenchApp, env: Record<string, string | undefined>, logFile: string): RunningProcess {
  const command = [process.execPath, ...nodeArgs(), path.join(root, 'dist/apps', app, 'main.js')];
  return runCommand('/bin/sh', ['-c', 'exec "$0" "$@" > "$BENCH_LOG_FILE" 2>&1', ...command], { ...env, BENCH_LOG_FILE: logFile }, root);
}
