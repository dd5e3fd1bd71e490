import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@dreamseed/testing';

/**
 * The module-boundary rule, exercised by the ESLint CLI (as `npm run lint` runs it) on probe sources placed,
 * through --stdin-filename, inside real projects.
 */
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const run = spawnSync(
    path.join(WORKSPACE_ROOT, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', file, '--format', 'json'],
    { cwd: WORKSPACE_ROOT, input: source, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  it('fail the lint when an app imports another app', async () => {
    const errors = await boundaryErrors(
      'apps/gateway/src/probe.ts',
      "import { startVoiceService } from '../../voice-service/src/app';\nexport const probe = startVoiceService;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fail the lint when a lib imports an app', async () => {
    const errors = await boundaryErrors(
      'libs/platform/src/probe.ts',
      "import { startGateway } from '../../../apps/gateway/src/app';\nexport const probe = startGateway;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('fail the lint when the contracts import the platform', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/probe.ts',
      "import { AppError } from '@dreamseed/platform';\nexport const probe = AppError;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('let an app use the shared libs', async () => {
    const errors = await boundaryErrors(
      'apps/voice-service/src/probe.ts',
      "import { QUEUES } from '@dreamseed/contracts';\nimport { AppError } from '@dreamseed/platform';\nexport const probe = [QUEUES, AppError];\n",
    );
    expect(errors).toEqual([]);
  });
});
