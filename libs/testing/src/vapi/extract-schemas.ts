/**
 * Cuts VAPI's server-message schemas out of the OpenAPI document of VAPI's docs (VapiAI/docs,
 * `fern/apis/api/openapi.json`): `ServerMessage`, every `ServerMessage*` and `ServerMessageResponse*` schema, and
 * every component they reach through `$ref`, unchanged, in the document's own order. The `$ref`s keep their
 * `#/components/schemas/X` form, so the output is a document of the same layout. `schema.ts` adapts the
 * OpenAPI dialect for ajv when it loads the file; nothing is rewritten here.
 *
 *   git -C <docs mirror> show <commit>:fern/apis/api/openapi.json > /tmp/openapi.json
 *   node --import tsx libs/testing/src/vapi/extract-schemas.ts /tmp/openapi.json "VapiAI/docs@<commit>"
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Schemas = Record<string, unknown>;

const SCHEMA_FILE = path.join(__dirname, '../../fixtures/vapi/server-messages.schema.json');
const REF = '#/components/schemas/';

/** The component names a schema refers to, at any depth. */
function refsIn(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) schema.forEach((item) => refsIn(item, found));
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith(REF)) throw new Error(`unexpected $ref ${value}: only ${REF}… is handled`);
        found.push(value.slice(REF.length));
      } else refsIn(value, found);
    }
  }
  return found;
}

/** The server-message schemas and everything they reach, in the order of the source document. */
function serverMessageComponents(all: Schemas): Schemas {
  const reached = new Set<string>();
  const pending = Object.keys(all).filter((name) => name.startsWith('ServerMessage'));
  if (!pending.includes('ServerMessage')) throw new Error('the document has no ServerMessage schema');
  while (pending.length) {
    const name = pending.pop() as string;
    if (reached.has(name)) continue;
    if (!(name in all)) throw new Error(`$ref to a missing component: ${name}`);
    reached.add(name);
    pending.push(...refsIn(all[name]));
  }
  return Object.fromEntries(Object.entries(all).filter(([name]) => reached.has(name)));
}

function main([openapiPath, source = openapiPath]: string[]) {
  if (!openapiPath) throw new Error('usage: extract-schemas.ts <openapi.json> [source label, e.g. VapiAI/docs@<commit>]');
  const openapi = JSON.parse(readFileSync(openapiPath, 'utf8')) as { components?: { schemas?: Schemas } };
  const schemas = serverMessageComponents(openapi.components?.schemas ?? {});
  const document = {
    $comment: `VAPI server messages and their replies: the components of ${source} (fern/apis/api/openapi.json) that ServerMessage* and ServerMessageResponse* reach. Made by libs/testing/src/vapi/extract-schemas.ts; see README.md beside this file.`,
    components: { schemas },
  };
  writeFileSync(SCHEMA_FILE, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${Object.keys(schemas).length} components written to ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
