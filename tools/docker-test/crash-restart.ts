/** A crash (the app's process killed inside a voice container) is brought back by the restart policy. */
import { waitFor } from '@dreamseed/testing';
import { check, containers, POLL_MS, run, say, seconds, type Stack } from './harness';

export async function crashRestart(stack: Stack): Promise<void> {
  const victim = (await containers(stack)).find((c) => c.service === 'voice-service' && c.status === 'running');
  check(victim, 'no running voice container to crash');
  const crashed = Date.now();
  // SIGKILL to the app's node process (not PID 1, the init): to the engine, the container died on its own.
  const killApp = `const fs=require('fs');for(const p of fs.readdirSync('/proc')){if(/^[0-9]+$/.test(p)&&+p!==process.pid&&fs.readFileSync('/proc/'+p+'/cmdline','utf8').includes('dist/apps/'))process.kill(+p,'SIGKILL')}`;
  await run('docker', ['exec', victim.id, 'node', '-e', killApp], { timeoutMs: 30_000 });
  await waitFor(
    async () => {
      const now = (await containers(stack)).find((c) => c.id === victim.id);
      return now && now.restarts > victim.restarts && now.status === 'running' && now.health === 'healthy' ? now : undefined;
    },
    `${victim.name} restarted and healthy`,
    120_000,
    POLL_MS,
  );
  say(`restart: ${victim.name} crashed (node killed) and came back healthy in ${seconds(crashed)}`);
}
