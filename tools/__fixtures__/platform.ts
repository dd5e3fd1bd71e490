import { exitWithin, freePort, runTs, uniquePrefix, waitFor, type RunningProcess } from '@dreamseed/testing';

/**
 * `npm start` (tools/start.ts) in its own process on free ports, ready: the gateway's address, the process, and
 * a stop that sends Ctrl-C and kills it if it has not exited within 15 s.
 */
export async function startPlatform(name: string, env: Record<string, string>, readyWithinMs = 60_000) {
  const [gateway, voice, analysis, domain, billing] = (await Promise.all([1, 2, 3, 4, 5].map(() => freePort()))).map(String);
  const platform: RunningProcess = runTs('tools/start.ts', {
    PORT: gateway,
    VOICE_SERVICE_PORT: voice,
    ANALYSIS_SERVICE_PORT: analysis,
    DOMAIN_SERVICE_PORT: domain,
    BILLING_SERVICE_PORT: billing,
    QUEUE_PREFIX: uniquePrefix(name),
    LOG_LEVEL: 'warn',
    ...env,
  });
  const stop = async () => {
    platform.kill('SIGINT');
    await exitWithin(platform, 15_000).catch(() => platform.kill('SIGKILL'));
  };
  try {
    await waitFor(() => platform.output().includes('DreamSeed is up.'), 'the platform', readyWithinMs);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${platform.output()}`);
  }
  return { gatewayUrl: `http://127.0.0.1:${gateway}`, process: platform, stop };
}
