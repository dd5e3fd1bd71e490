/**
 * `npm run db:generate`: writes a migration for every owner whose Drizzle schema changed.
 * `npm run db:check`: fails when a schema and its migrations differ (run by CI). It generates into a scratch
 * copy of each migrations folder, so the check never touches the working tree.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_OWNERS } from '@dreamseed/contracts';

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
const drizzleKit = path.join(root, 'node_modules/.bin/drizzle-kit');

function generate(configPath: string, extra: string[] = []): string {
  const result = spawnSync(drizzleKit, ['generate', '--config', configPath, ...extra], { cwd: root, encoding: 'utf8' });
  // drizzle-kit can print an error and still exit 0: only its two known outcomes count as success.
  const output = result.stdout + result.stderr;
  if (result.status !== 0 || !/No schema changes|Your SQL migration file/.test(output)) {
    process.stderr.write(output);
    process.exit(result.status || 1);
  }
  return result.stdout;
}

let drifted = 0;
for (const owner of DATA_OWNERS) {
  const appDir = path.join(root, 'apps', owner.app);
  if (!check) {
    process.stdout.write(`${owner.owner}: ${generate(path.join(appDir, 'drizzle.config.ts')).trim().split('\n').at(-1)}\n`);
    continue;
  }
  const scratch = path.join(root, 'tmp', 'drizzle-check', owner.owner);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  cpSync(path.join(appDir, 'drizzle'), scratch, { recursive: true });
  const before = new Set(readdirSync(scratch));
  const configPath = path.join(root, 'tmp', 'drizzle-check', `${owner.owner}.config.ts`);
  writeFileSync(
    configPath,
    `export default ${JSON.stringify({
      dialect: 'postgresql',
      // drizzle-kit wants paths relative to the working directory
      schema: path.relative(root, path.join(appDir, 'src/db/schema.ts')),
      out: path.relative(root, scratch),
      schemaFilter: owner.schemas,
    })};\n`,
  );
  generate(configPath);
  const added = readdirSync(scratch).filter((file) => !before.has(file));
  if (added.length) {
    drifted += 1;
    process.stderr.write(`${owner.owner}: the schema in apps/${owner.app}/src/db/schema.ts has changes without a migration; run npm run db:generate\n`);
  } else {
    process.stdout.write(`${owner.owner}: schema and migrations agree\n`);
  }
}
rmSync(path.join(root, 'tmp', 'drizzle-check'), { recursive: true, force: true });
process.exit(drifted ? 1 : 0);
