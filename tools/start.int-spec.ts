import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitWithin, freePort, runCommand, uniquePrefix, waitFor, WORKSPACE_ROOT } from '@dreamseed/testing';

/**
 * The README's first command, from what a fresh clone holds: the files git tracks (and new ones not ignored),
 * nothing built, no .data. node_modules is linked in, standing for the install the README asks for first.
 */
function freshCheckout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-clone-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    try {
      cpSync(path.join(WORKSPACE_ROOT, file), path.join(dir, file), { recursive: true });
    } catch {
      // a file deleted in the working tree but still tracked: a fresh clone of the next commit lacks it too
    }
  }
  symlinkSync(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('brings the platform up from a fresh checkout, reaches ready, and stops cleanly on Ctrl-C', async () => {
    const dir = freshCheckout();
    const [gateway, voice, analysis, domain, billing] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const platform = runCommand(
      'npm',
      ['start'],
      {
        PORT: String(gateway),
        VOICE_SERVICE_PORT: String(voice),
        ANALYSIS_SERVICE_PORT: String(analysis),
        DOMAIN_SERVICE_PORT: String(domain),
        BILLING_SERVICE_PORT: String(billing),
        QUEUE_PREFIX: uniquePrefix('npm-start'),
        ADMIN_PASSWORD: undefined,
      },
      dir,
      { group: true },
    );
    try {
      await waitFor(() => platform.output().includes('DreamSeed is up.'), 'the start banner', 60_000).catch((error) => {
        throw new Error(`${(error as Error).message}\n${platform.output()}`);
      });
      for (const port of [gateway, voice, analysis, domain, billing]) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status).toBe(200);
      }
      const docs = await fetch(`http://127.0.0.1:${gateway}/openapi.json`);
      expect(docs.status).toBe(200);
      expect(platform.output()).toContain(`http://localhost:${gateway}/admin/queues`);

      // Ctrl-C signals the whole group. npm itself exits on SIGINT at once; what matters is that the platform
      // process under it stops every app cleanly, and that nothing of the group is left running.
      platform.killGroup('SIGINT');
      await exitWithin(platform, 10_000);
      await waitFor(() => !groupAlive(platform.child.pid ?? 0), 'every process of the group to exit', 10_000);
      expect(platform.output()).toContain('"service":"launcher","version":"0.1.0","msg":"stopped"');
      for (const app of ['gateway', 'voice-service', 'analysis-service', 'domain-service', 'billing-service']) {
        expect(platform.output()).toContain(`"service":"${app}","version":"0.1.0","msg":"stopped cleanly"`);
      }
    } finally {
      if (groupAlive(platform.child.pid ?? 0)) platform.killGroup('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    // As long as its own waits: the banner (60 s; a fresh checkout builds the web app first) and the stop (20 s).
  }, 100_000);
});
