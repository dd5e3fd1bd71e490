import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@dreamseed/platform';

/** What the web app's build is made of: its own sources and the API client it bundles. */
const SOURCES = ['apps/web', 'libs/api-client/src', 'package-lock.json'];

function newestChange(target: string): number {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, entry) => Math.max(newest, newestChange(path.join(target, entry))), stat.mtimeMs);
}

/**
 * `npm start` serves the web app the way production does (the gateway, built files, the same headers and CSP),
 * so it builds the app once when the build is missing or older than its sources. Working on the app itself,
 * `npx nx serve web` runs Vite's dev server with hot reload in front of this gateway instead.
 */
export function buildWebAppIfStale(root: string, logger: Logger): string {
  const outDir = path.join(root, 'dist/apps/web');
  const built = newestChange(path.join(outDir, 'index.html'));
  const changed = Math.max(...SOURCES.map((source) => newestChange(path.join(root, source))));
  if (built && built >= changed) return outDir;
  logger.info(built ? 'web app changed: building it' : 'web app not built yet: building it');
  // In a child process: Vite is ESM and the launcher is not, and its build memory is gone when it ends.
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'apps/web/vite.config.mts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the web app failed (see above); npx nx build web shows the same');
  return outDir;
}
