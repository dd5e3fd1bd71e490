/**
 * docs/configuration.md and .env.example are rendered from the config schemas: every variable must say what it
 * is, a secret's default must never be printed, and the check CI runs must notice a checked-in file that no
 * longer matches.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baseConfigSchema, configVariables } from '@dreamseed/platform';
import { WORKSPACE_ROOT } from '@dreamseed/testing';
import { APP_SCHEMAS, composeUses, documentedVariables, driftedFiles, renderConfigFiles } from './config-docs';

const composeText = readFileSync(path.join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8');
const rendered = renderConfigFiles(WORKSPACE_ROOT);
const docs = rendered['docs/configuration.md'] as string;
const envExample = rendered['.env.example'] as string;

/** A variable's lines in .env.example: its comments and its `KEY=value` line. */
function envBlock(key: string): string {
  const lines = envExample.split('\n');
  const end = lines.findIndex((line) => line.startsWith(`${key}=`));
  let start = end;
  while (start > 0 && lines[start - 1]?.startsWith('# ') && !lines[start - 1]?.startsWith('# ---')) start -= 1;
  return lines.slice(start, end + 1).join('\n');
}

describe('configuration docs', () => {
  it('has a description for every variable of every schema', () => {
    const schemas = { platform: baseConfigSchema, ...APP_SCHEMAS };
    const undescribed = Object.entries(schemas).flatMap(([app, schema]) =>
      configVariables(schema)
        .filter((variable) => !variable.description?.trim())
        .map((variable) => `${app}: ${variable.key}`),
    );
    expect(undescribed).toEqual([]);
  });

  it('lists every variable once in the docs and once as a line of .env.example', () => {
    const keys = documentedVariables(composeText).map((entry) => entry.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(docs).toContain(`| \`${key}\` |`);
      expect(envExample.match(new RegExp(`^${key}=`, 'gm'))).toHaveLength(1);
    }
  });

  it('never shows a secret default, and fills only what docker-compose requires', () => {
    const secrets = documentedVariables(composeText).filter((entry) => entry.readers.some(({ variable }) => variable.secret));
    const required = composeUses(composeText);
    expect(secrets.map((entry) => entry.key)).toEqual(expect.arrayContaining(['JWT_SECRET', 'PAYLOAD_ENCRYPTION_KEY', 'POSTGRES_PASSWORD']));
    for (const entry of secrets) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${entry.key}\` |`)) ?? '';
      const block = envBlock(entry.key);
      expect(row.split(' | ')[2]).toMatch(/^(required|unset|a development value)$/);
      for (const { variable } of entry.readers) {
        if (!variable.default) continue;
        expect(row).not.toContain(String(variable.default.value));
        expect(block).not.toContain(String(variable.default.value));
      }
      const value = block.slice(block.lastIndexOf(`${entry.key}=`) + entry.key.length + 1);
      expect(value).toEqual(required.get(entry.key)?.placeholderBytes ? expect.stringMatching(/^replace-me-with-openssl-rand-base64-\d+-output$/) : '');
    }
  });

  it('finds the checked-in files in step, and names each one that drifts', () => {
    expect(driftedFiles(WORKSPACE_ROOT, rendered)).toEqual([]);

    const root = mkdtempSync(path.join(tmpdir(), 'config-docs-'));
    try {
      mkdirSync(path.join(root, 'docs'));
      for (const [file, text] of Object.entries(rendered)) writeFileSync(path.join(root, file), text);
      expect(driftedFiles(root, rendered)).toEqual([]);

      writeFileSync(path.join(root, '.env.example'), envExample.replace('QUEUE_PREFIX=', 'QUEUE_PREFIX=mine'));
      expect(driftedFiles(root, rendered)).toEqual(['.env.example']);

      rmSync(path.join(root, 'docs/configuration.md'));
      expect(driftedFiles(root, rendered)).toEqual(['docs/configuration.md', '.env.example']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
