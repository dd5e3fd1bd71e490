// Builds the apps for production: one bundle per app (workspace code inlined, npm packages left external),
// its migrations beside it, and the migrator. `node tools/build.mjs [app...]`; no argument builds everything.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = ['gateway', 'voice-service', 'analysis-service', 'domain-service', 'billing-service'];
const requested = process.argv.slice(2);
const apps = requested.length ? requested : APPS;
for (const app of apps) if (!APPS.includes(app)) throw new Error(`unknown app ${app}`);

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
process.stdout.write(`built ${apps.join(', ')} into dist/\n`);
