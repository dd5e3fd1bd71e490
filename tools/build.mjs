// Builds the apps for production: one bundle per app (workspace code inlined, npm packages left external),
// its migrations beside it, the migrator, and the founders' web app (Vite, into dist/apps/web, which the gateway
// serves). `node tools/build.mjs [app...]`; no argument builds everything.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = ['gateway', 'voice-service', 'analysis-service', 'domain-service', 'billing-service'];
const WEB = 'web';
const requested = process.argv.slice(2);
const apps = requested.length ? requested.filter((app) => app !== WEB) : APPS;
for (const app of apps) if (!APPS.includes(app)) throw new Error(`unknown app ${app}`);
const withWeb = !requested.length || requested.includes(WEB);

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', sourcemap: true, logLevel: 'warning' };

for (const app of apps) {
  const out = path.join(root, 'dist/apps', app);
  rmSync(out, { recursive: true, force: true });
  await build({ ...common, entryPoints: [path.join(root, 'apps', app, 'src/main.ts')], outfile: path.join(out, 'main.js') });
  cpSync(path.join(root, 'apps', app, 'drizzle'), path.join(out, 'drizzle'), { recursive: true });
}
if (!requested.length) {
  // The migrator finds each owner's folder under dist/apps/<app>/drizzle, next to the bundles.
  await build({ ...common, entryPoints: [path.join(root, 'tools/migrate.ts')], outfile: path.join(root, 'dist/tools/migrate.js') });
}
if (withWeb) {
  const vite = await import('vite');
  await vite.build({ configFile: path.join(root, 'apps/web/vite.config.mts'), logLevel: 'warn' });
}
process.stdout.write(`built ${[...apps, ...(withWeb ? [WEB] : [])].join(', ')} into dist/\n`);
