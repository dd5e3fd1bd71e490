/**
 * The benchmark measures what ships: the apps as `tools/build.mjs` bundles them for the image, run by plain
 * `node` (the tests and `npm start` run the sources through tsx, whose transpiled output is slower).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runCommand, type RunningProcess } from '@dreamseed/testing';

const root = path.resolve(__dirname, '..');
export const BENCH_APPS = ['gateway', 'voice-service', 'analysis-service', 'domain-service'] as const;
export type BenchApp = (typeof BENCH_APPS)[number];

/** Bundles the apps the benchmark runs, once at its start. */
export function buildApps(): void {
  execFileSync(process.execPath, [path.join(root, 'tools/build.mjs'), ...BENCH_APPS], { cwd: root, stdio: 'inherit' });
}

/** BENCH_NODE_ARGS adds node flags to every app, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles` to profile a run. */
export function runApp(app: BenchApp, env: Record<string, string | undefined>): RunningProcess {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return runCommand(process.execPath, [...nodeArgs, path.join(root, 'dist/apps', app, 'main.js')], env, root);
}
