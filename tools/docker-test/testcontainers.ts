/**
 * testcontainers: an integration suite run with DREAMSEED_TEST_CONTAINERS=1, so that its Postgres and Redis are
 * containers the test setup starts on this engine, and leaves none behind.
 */
import path from 'node:path';
import { check, must, root, run, say, seconds, tail } from './harness';

export async function testcontainers(): Promise<void> {
  const env = { ...process.env, DREAMSEED_TEST_CONTAINERS: '1', DATABASE_URL: undefined, REDIS_URL: undefined, DREAMSEED_TEST_INFRA: undefined };
  const suite = 'apps/voice-service/src/jobs/vapi-event.int-spec.ts';
  const jest = path.join(root, 'node_modules/.bin/jest');
  const labelled = async () =>
    (await must('docker', ['ps', '-aq', '--filter', 'label=org.testcontainers=true'], { timeoutMs: 30_000 })).split('\n').filter(Boolean);
  const already = new Set(await labelled());
  const before = Date.now();
  const result = await run(jest, ['-c', 'apps/voice-service/jest.config.js', suite], { timeoutMs: 10 * 60_000, env });
  const output = result.stdout + result.stderr;
  const line = output.split('\n').find((l) => l.includes('test infrastructure: testcontainers'));
  check(result.code === 0, `the suite on testcontainers failed (exit ${result.code}):\n${tail(output, 30)}`);
  check(line, `the suite passed but did not run on testcontainers:\n${tail(output, 10)}`);
  say(`testcontainers: ${line.trim()}`);
  say(`testcontainers: ${suite} passed in ${seconds(before)} (${tail(output.split('\n').filter((l) => /^Tests:/.test(l)).join('\n'), 1)})`);
  const left = (await labelled()).filter((id) => !already.has(id));
  check(!left.length, `the test setup left ${left.length} testcontainers behind: ${left.join(', ')}`);
}
