/**
 * The write-or-check step shared by the generators whose output is checked in (`config:docs`, `api:client`): they
 * write what they render, and with `--check` (CI) exit 1 naming each checked-in file that differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The checked-in files that differ from what was rendered (missing counts as different). */
export function driftedFiles(root: string, rendered: Record<string, string>): string[] {
  const current = (file: string) => {
    try {
      return readFileSync(path.join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  return Object.entries(rendered)
    .filter(([file, text]) => current(file) !== text)
    .map(([file]) => file);
}

/**
 * Writes the rendered files, or under `--check` compares them. `source` names what they are rendered from, and
 * `command` the npm script that regenerates them, for the messages.
 */
export function writeOrCheck(root: string, rendered: Record<string, string>, names: { label: string; source: string; command: string }): void {
  const files = Object.keys(rendered).join(' and ');
  if (!process.argv.includes('--check')) {
    for (const [file, text] of Object.entries(rendered)) writeFileSync(path.join(root, file), text);
    process.stdout.write(`wrote ${files}\n`);
    return;
  }
  const drifted = driftedFiles(root, rendered);
  if (drifted.length > 0) {
    process.stderr.write(`${drifted.join(' and ')} ${drifted.length === 1 ? 'does' : 'do'} not match ${names.source}: run \`npm run ${names.command}\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(`${names.label} passed: ${files} match ${names.source}\n`);
}
