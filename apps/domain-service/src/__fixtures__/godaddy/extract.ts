/**
 * Copies the GoDaddy Domains API v1 schemas the fake GoDaddy checks against out of an OpenAPI 3 copy of GoDaddy's
 * swagger (README.md names it): the named components and every component they reach through `$ref`, unchanged,
 * under `components.schemas` so that the references resolve.
 *
 *   node --import tsx apps/domain-service/src/__fixtures__/godaddy/extract.ts <git dir of fabricekabongo/godaddy-domain-api>
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const COMMIT = 'e7ca1ea5b0331cff2cd99a60a7f63837b32dd8bd';
const FILE = 'godaddy-domains-openapi.yaml';
/** Bodies the platform sends or reads: purchase (and its answer), a domain's details, agreements, errors. */
const WANTED = ['DomainPurchase', 'DomainPurchaseResponse', 'DomainDetail', 'LegalAgreement', 'Error', 'ErrorLimit'];
const REF = '#/components/schemas/';

function refsIn(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) schema.forEach((item) => refsIn(item, found));
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(REF)) found.push(value.slice(REF.length));
      else refsIn(value, found);
    }
  }
  return found;
}

const gitDir = process.argv[2];
if (!gitDir) throw new Error('usage: extract.ts <git dir of fabricekabongo/godaddy-domain-api>');
const shown = spawnSync('git', ['-C', gitDir, 'show', `${COMMIT}:${FILE}`], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
if (shown.status !== 0) throw new Error(`git show failed: ${shown.stderr}`);
const all = (parse(shown.stdout) as { components: { schemas: Record<string, unknown> } }).components.schemas;
const picked: Record<string, unknown> = {};
const queue = [...WANTED];
while (queue.length) {
  const name = queue.shift() as string;
  if (name in picked) continue;
  if (!(name in all)) throw new Error(`no schema ${name}`);
  picked[name] = all[name];
  queue.push(...refsIn(all[name]));
}
const sorted = Object.fromEntries(Object.keys(picked).sort().map((name) => [name, picked[name]]));
writeFileSync(path.join(__dirname, 'domains-v1.schemas.json'), `${JSON.stringify({ openapi: '3.0.1', components: { schemas: sorted } }, null, 2)}\n`);
