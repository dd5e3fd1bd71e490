/**
 * `npm run test:docker`: the platform as containers on a real Docker engine.
 *
 *  1. the engine and the base images: `../shared/tools/docker-offline up` and `images` when that tool is beside the
 *     clone (CI, the offline machines); else whatever engine `docker info` reaches. No engine: the run fails with
 *     the reason, it never passes without running. docker-compose 1.29 or the `docker compose` plugin.
 *  2. the stack: `docker-compose build`, then `up -d` with two voice and two analysis containers, under its own
 *     project name and with its own env file (.env.example plus a free gateway port and fresh secrets), until every
 *     container is healthy.
 *  3. the founder's journey: sign-up and the call simulator's four calls into the gateway container; the profile
 *     and the Dream DNA read back through the API.
 *  4. a burst of webhooks (every event delivered twice) while one voice container is `docker kill`ed: every
 *     accepted event is stored exactly once in voice.webhook_logs and processed; each call has one session and one
 *     transcript; the restart policy brings a crashed container back.
 *  5. `down -v`, whatever happened.
 *  6. testcontainers: an integration suite run with DREAMSEED_TEST_CONTAINERS=1, so that its Postgres and Redis
 *     are containers the test setup starts on this engine.
 * It prints what it sent, accepted and stored, and how long the build and the start took.
 * The harness (commands, Compose, containers, SQL, the API) is docker-test/harness.ts; each scenario has a file beside it.
 * Knobs: DOCKER_TEST_PROJECT (compose project, default dreamseed-dockertest), DOCKER_TEST_BURST_CALLS (50 calls,
 * four events each), DOCKER_OFFLINE_TOOL (default ../shared/tools/docker-offline).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { burstWithKill } from './docker-test/burst';
import { crashRestart } from './docker-test/crash-restart';
import { check, compose, engine, must, project, run, say, seconds, short, started, tail, waitHealthy, writeEnvFile } from './docker-test/harness';
import { journey } from './docker-test/journey';
import { testcontainers } from './docker-test/testcontainers';

async function main(): Promise<void> {
  const failures: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-docker-test-'));
  let composeCommand: string[];
  try {
    composeCommand = await engine();
  } catch (error) {
    process.stderr.write(`\ntest:docker FAILED: ${(error as Error).message}\n`);
    process.exit(1);
  }

  const stack = await writeEnvFile(dir, composeCommand);
  const timings: string[] = [];
  // Ctrl-C or a CI timeout: the stack goes down all the same.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: down -v before exiting`);
      void compose(stack, ['down', '-v', '--remove-orphans'], 3 * 60_000)
        .catch(() => undefined)
        .finally(() => process.exit(130));
    });
  }
  try {
    await compose(stack, ['down', '-v', '--remove-orphans'], 120_000); // leftovers of an interrupted run
    let t = Date.now();
    say(`build: ${stack.composeCommand.join(' ')} -p ${project} build`);
    await compose(stack, ['build'], 20 * 60_000);
    timings.push(`build ${seconds(t)}`);
    say(`build: done in ${seconds(t)}`);
    // The built image's name: <project>_gateway (docker-compose 1) or <project>-gateway (the plugin).
    const inspect = (name: string) => run('docker', ['image', 'inspect', '--format', '{{.Id}}|{{.Size}}', name], { timeoutMs: 30_000 });
    let built = await inspect(`${project}_gateway`);
    if (built.code !== 0) built = await inspect(`${project}-gateway`);
    check(built.code === 0, `the built gateway image is not there: ${tail(built.stderr, 2)}`);
    const [image = '', bytes = '0'] = built.stdout.trim().split('|');
    const base = Number((await must('docker', ['image', 'inspect', '--format', '{{.Size}}', 'node:20-bookworm-slim'], { timeoutMs: 30_000 })).trim());
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    say(`build: app image ${image.slice(7, 19)} ${mb(Number(bytes))} (node:20-bookworm-slim ${mb(base)}, +${mb(Number(bytes) - base)})`);

    t = Date.now();
    say(`start: up -d --scale voice-service=2 --scale analysis-service=2 (gateway on ${stack.gatewayUrl})`);
    await compose(stack, ['up', '-d', '--no-build', '--scale', 'voice-service=2', '--scale', 'analysis-service=2'], 5 * 60_000);
    const healthy = await waitHealthy(stack, 4 * 60_000);
    timings.push(`start to healthy ${seconds(t)}`);
    say(`start: ${healthy.length} containers healthy (or done) in ${seconds(t)}: ${healthy.map((c) => short(c.name)).join(', ')}`);

    await journey(stack);
    await burstWithKill(stack);
    t = Date.now();
    await compose(stack, ['up', '-d', '--no-build', '--scale', 'voice-service=2', '--scale', 'analysis-service=2'], 5 * 60_000);
    await waitHealthy(stack, 3 * 60_000);
    say(`restart: up -d brought the stack back to two healthy voice containers in ${seconds(t)}`);
    await crashRestart(stack);
  } catch (error) {
    failures.push(`stack: ${(error as Error).message}`);
    const logs = await compose(stack, ['logs', '--no-color', '--tail', '30'], 60_000).catch(() => '');
    process.stderr.write(`\n--- last log lines ---\n${tail(logs, 120)}\n`);
  } finally {
    const t = Date.now();
    await compose(stack, ['down', '-v', '--remove-orphans'], 3 * 60_000).catch((error: Error) => failures.push(`down -v: ${error.message}`));
    const left = await compose(stack, ['ps', '-q'], 60_000).catch(() => '');
    if (left.trim()) failures.push(`down -v left containers behind: ${left.trim().split('\n').join(', ')}`);
    say(`down -v in ${seconds(t)}`);
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    await testcontainers();
  } catch (error) {
    failures.push(`testcontainers: ${(error as Error).message}`);
  }

  say(`timings: ${timings.join(', ')}; whole run ${seconds(started)}`);
  if (failures.length) {
    process.stderr.write(`\ntest:docker FAILED\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
    process.exit(1);
  }
  say('test:docker passed');
}

main().catch((error) => {
  process.stderr.write(`\ntest:docker FAILED: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
