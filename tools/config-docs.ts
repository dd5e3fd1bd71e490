/**
 * `npm run config:docs` writes docs/configuration.md and .env.example from the apps' zod config schemas (each
 * variable's `.describe()`, its default, its secret mark, its enum values), so that the schemas are the one
 * place configuration is written. `npm run config:check` (`--check`) renders both in memory and exits 1 naming
 * each checked-in file that differs: CI runs it, so a schema change without `config:docs` fails.
 *
 * A few variables are read outside the schemas (by `npm start`, the Docker image and docker-compose); they are
 * listed here, and docker-compose.yml itself says which secrets it requires and what its own defaults are.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { configVariables, type ConfigVariable } from '@dreamseed/platform';
import { analysisConfigSchema } from '../apps/analysis-service/src/config';
import { billingConfigSchema } from '../apps/billing-service/src/config';
import { domainConfigSchema } from '../apps/domain-service/src/config';
import { gatewayConfigSchema } from '../apps/gateway/src/config';
import { voiceConfigSchema } from '../apps/voice-service/src/config';
import { writeOrCheck } from './generated-files';

export { driftedFiles } from './generated-files';

export const APP_SCHEMAS: Record<string, z.ZodObject> = {
  gateway: gatewayConfigSchema,
  'voice-service': voiceConfigSchema,
  'analysis-service': analysisConfigSchema,
  'domain-service': domainConfigSchema,
  'billing-service': billingConfigSchema,
};
const APPS = Object.keys(APP_SCHEMAS);
const EVERY_APP = 'every app';

/** One variable as the docs show it: who reads it, and what each reader's schema says about it. */
export interface DocumentedVariable {
  key: string;
  group: string;
  readers: { reader: string; variable: ConfigVariable }[];
}

/** Read outside the app schemas; the description and the reader stand in for a schema. */
const OUTSIDE_SCHEMAS: { key: string; reader: string; description: string; secret?: boolean; default?: unknown }[] = [
  ...(['voice', 'analysis', 'domain', 'billing'] as const).map((service, index) => ({
    key: `${service.toUpperCase()}_SERVICE_PORT`,
    reader: 'npm start',
    description: `The ${service} service's port when npm start runs every app in one environment (PORT is the gateway's).`,
    default: 8081 + index,
  })),
  {
    key: 'DATABASE_MIGRATION_URL',
    reader: 'the migrator',
    secret: true,
    description:
      'Postgres itself for the migrations, when DATABASE_URL names a transaction pooler: each owner migrates under ' +
      'a session advisory lock, which a pooler breaks. Unset: DATABASE_URL.',
  },
  {
    key: 'V8_POOL_SIZE',
    reader: 'the Docker image',
    description:
      "V8's helper threads per app (concurrent GC marking, background compiling), passed to node by the image's " +
      'start command. One keeps a major GC from taking every core at once; set it to the cores a container has.',
  },
  { key: 'GATEWAY_PORT', reader: 'docker-compose', description: "The host port the gateway's container publishes." },
  { key: 'POSTGRES_USER', reader: 'docker-compose', description: "The Postgres container's account." },
  {
    key: 'POSTGRES_PASSWORD',
    reader: 'docker-compose',
    secret: true,
    description: "The Postgres container's password. Unset: a development value; set one outside a laptop.",
  },
  { key: 'POSTGRES_DB', reader: 'docker-compose', description: "The Postgres container's database." },
  { key: 'REDIS_MAXMEMORY', reader: 'docker-compose', description: "The Redis container's memory cap (with noeviction)." },
];

/** What docker-compose.yml says about a variable it substitutes: `${KEY:-default}` or `${KEY:?message}`. */
interface ComposeUse {
  default?: string;
  /** Required by compose: .env.example carries a placeholder, `openssl rand -base64 <bytes>` sized. */
  placeholderBytes?: number;
}

export function composeUses(composeText: string): Map<string, ComposeUse> {
  const uses = new Map<string, ComposeUse>();
  for (const [, key, operator, rest] of composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*):([-?])([^}]*)\}/g)) {
    const use = uses.get(key as string) ?? {};
    if (operator === '-') use.default ??= rest;
    else use.placeholderBytes = Number(/base64 (\d+)/.exec(rest as string)?.[1] ?? 32);
    uses.set(key as string, use);
  }
  return uses;
}

/** Every variable, in a stable order: every app's first, then each app's own in the order of APPS, then the rest. */
export function documentedVariables(composeText: string): DocumentedVariable[] {
  const byKey = new Map<string, DocumentedVariable>();
  for (const app of APPS) {
    for (const variable of configVariables(APP_SCHEMAS[app] as z.ZodObject)) {
      const entry = byKey.get(variable.key) ?? { key: variable.key, group: app, readers: [] };
      entry.readers.push({ reader: app, variable });
      byKey.set(variable.key, entry);
    }
  }
  const compose = composeUses(composeText);
  for (const extra of OUTSIDE_SCHEMAS) {
    const fallback = extra.default ?? compose.get(extra.key)?.default;
    const variable: ConfigVariable = {
      key: extra.key,
      description: extra.description,
      secret: extra.secret ?? false,
      required: false,
      default: fallback === undefined ? undefined : { value: fallback },
      choices: undefined,
    };
    byKey.set(extra.key, { key: extra.key, group: extra.reader, readers: [{ reader: extra.reader, variable }] });
  }
  const groups = [EVERY_APP, ...APPS, ...new Set(OUTSIDE_SCHEMAS.map((extra) => extra.reader))];
  const all = [...byKey.values()].map((entry) => (entry.readers.length === APPS.length ? { ...entry, group: EVERY_APP } : entry));
  return groups.flatMap((group) => all.filter((entry) => entry.group === group));
}

const readersOf = (entry: DocumentedVariable) =>
  entry.group === EVERY_APP ? EVERY_APP : entry.readers.map(({ reader }) => reader).join(', ');
const isSecret = (entry: DocumentedVariable) => entry.readers.some(({ variable }) => variable.secret);

function shownValue(value: unknown): string {
  if (value === null || typeof value === 'object') return 'built in';
  return value === '' ? 'empty' : String(value);
}

/** What an unset variable means, per reader when they differ. A secret's default is never shown. */
function defaultsOf(entry: DocumentedVariable, code: (text: string) => string): string {
  const each = entry.readers.map(({ reader, variable }) => {
    if (variable.required) return { reader, text: 'required' };
    if (!variable.default) return { reader, text: 'unset' };
    if (variable.secret) return { reader, text: 'a development value' };
    const shown = shownValue(variable.default.value);
    return { reader, text: shown === String(variable.default.value) ? code(shown) : shown };
  });
  const distinct = byText(each);
  return distinct.length === 1 ? (distinct[0]?.text ?? '') : distinct.map(({ text, readers }) => `${text} (${readers})`).join('; ');
}

/** Descriptions, once when every reader says the same, else each with its readers. */
function descriptionsOf(entry: DocumentedVariable): string[] {
  const distinct = byText(entry.readers.map(({ reader, variable }) => ({ reader, text: variable.description ?? '' })));
  return distinct.length === 1 ? [distinct[0]?.text ?? ''] : distinct.map(({ text, readers }) => `${readers}: ${text}`);
}

/** The distinct texts readers give, each with the readers that give it, in the readers' order. */
function byText(each: { reader: string; text: string }[]): { text: string; readers: string }[] {
  return [...new Set(each.map(({ text }) => text))].map((text) => ({
    text,
    readers: each.filter((item) => item.text === text).map(({ reader }) => reader).join(', '),
  }));
}

const choicesOf = (entry: DocumentedVariable) => entry.readers.find(({ variable }) => variable.choices)?.variable.choices;

const GROUP_TITLES: Record<string, string> = {
  [EVERY_APP]: 'Every app',
  'npm start': 'npm start',
  'the migrator': "The migrator (npm run db:migrate, npm start, the image's dist/tools/migrate.js)",
  'the Docker image': 'The Docker image',
  'docker-compose': 'docker-compose',
};
const titleOf = (group: string) => GROUP_TITLES[group] ?? group;

export function renderConfigurationDocs(variables: DocumentedVariable[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const code = (text: string) => (text.includes('`') ? text : `\`${text}\``);
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from the apps\' config schemas by `npm run config:docs`; edit the schemas, not this file. -->',
    '',
    "Each app reads its variables once at start with its zod schema (`apps/<app>/src/config.ts`, on top of",
    "`libs/platform/src/config.ts`), reports every bad one together and exits 1. An empty value counts as unset.",
    'Secrets are never logged, and their defaults are not shown here. `npm start` reads the environment;',
    'docker-compose reads `.env` (start from `.env.example`, generated beside this file, and set the secrets it',
    'marks). `npm run config:check` (run by CI) fails when this file or `.env.example` no longer matches the schemas.',
  ];
  for (const group of [...new Set(variables.map((entry) => entry.group))]) {
    lines.push('', `## ${titleOf(group)}`, '', '| variable | read by | default | secret | values | what it is |', '|---|---|---|---|---|---|');
    for (const entry of variables.filter((candidate) => candidate.group === group)) {
      const choices = choicesOf(entry)?.map(code).join(', ') ?? '';
      const row = [code(entry.key), readersOf(entry), defaultsOf(entry, code), isSecret(entry) ? 'yes' : 'no', choices, descriptionsOf(entry).join('<br>')];
      lines.push(`| ${row.map(cell).join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Comment lines of at most `width` characters. */
function commented(text: string, width = 118): string[] {
  const lines: string[] = [];
  let line = '#';
  // A `code span` stays on one line, so that a command can be copied from the comment.
  for (const word of text.match(/(?:`[^`]*`|[^\s`])+/g) ?? []) {
    if (line.length + 1 + word.length > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

export function renderEnvExample(variables: DocumentedVariable[], composeText: string): string {
  const compose = composeUses(composeText);
  const lines = [
    ...commented(
      "DreamSeed configuration, generated from the apps' config schemas by `npm run config:docs` (edit the schemas, " +
        'not this file); docs/configuration.md has the same in tables. docker-compose reads this file once it is ' +
        'copied to .env; npm start reads the environment. An empty value counts as unset: each app then uses the ' +
        'default named above the line. Replace every replace-me value, and keep secrets out of version control.',
    ),
  ];
  for (const group of [...new Set(variables.map((entry) => entry.group))]) {
    lines.push('', `# --- ${titleOf(group)} ---`);
    for (const entry of variables.filter((candidate) => candidate.group === group)) {
      const fallback = defaultsOf(entry, (text) => text);
      const facts = [`Read by ${readersOf(entry)}`, fallback === 'required' ? 'required' : `default: ${fallback}`];
      const choices = choicesOf(entry);
      if (choices) facts.push(`one of: ${choices.join(', ')}`);
      if (isSecret(entry)) facts.push('secret');
      const bytes = compose.get(entry.key)?.placeholderBytes;
      const value = bytes === undefined ? '' : `replace-me-with-openssl-rand-base64-${bytes}-output`;
      lines.push(...descriptionsOf(entry).flatMap((text) => commented(text)), ...commented(`(${facts.join('; ')}.)`), `${entry.key}=${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The generated files, by path from the workspace root. */
export function renderConfigFiles(root: string): Record<string, string> {
  const composeText = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  const variables = documentedVariables(composeText);
  return {
    'docs/configuration.md': renderConfigurationDocs(variables),
    '.env.example': renderEnvExample(variables, composeText),
  };
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  writeOrCheck(root, renderConfigFiles(root), { label: 'config check', source: 'the config schemas', command: 'config:docs' });
}

if (require.main === module) main();
