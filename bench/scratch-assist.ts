import path from 'node:path';
import { readFileSync } from 'node:fs';
import { migrateAll } from '@dreamseed/platform';
import { deletePrefix, freePort, uniquePrefix, waitForHttpOk } from '@dreamseed/testing';
import { runApp } from './apps';
import { openModel } from './open-model';
const cpuOf = (pid?: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
async function main() {
  const root = path.resolve(__dirname, '..');
  const databaseUrl = 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = 'redis://127.0.0.1:6379';
  await migrateAll(databaseUrl, root);
  const prefix = uniquePrefix('as');
  const [gatewayPort, voicePort] = [await freePort(), await freePort()];
  const internal = { INTERNAL_API_SECRET: 'benchmark-internal-secret' };
  const voice = runApp('voice-service', { ...internal, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: `${prefix}-voice`, PORT: String(voicePort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', GATEWAY_URL: `http://127.0.0.1:${gatewayPort}` });
  const gateway = runApp('gateway', { ...internal, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, PORT: String(gatewayPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_AUTOCONFIRM: 'true', VAPI_WEBHOOK_SECRET: 'benchmark-webhook-secret', VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}` });
  const base = `http://127.0.0.1:${gatewayPort}`;
  await waitForHttpOk(`${base}/health/ready`, 60_000, gateway);
  await waitForHttpOk(`http://127.0.0.1:${voicePort}/health/ready`, 60_000, voice);
  const phone = `+1737${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  await fetch(`${base}/auth/v1/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `a-${prefix}@example.com`, password: 'benchmark passphrase', data: { phone } }) });
  const rate = Number(process.env.RATE ?? 200);
  for (let r = 0; r < Number(process.env.ROUNDS ?? 4); r++) {
    const g0 = cpuOf(gateway.child.pid), v0 = cpuOf(voice.child.pid);
    const out = await openModel({ url: `${base}/webhooks/vapi`, headers: { 'content-type': 'application/json', 'x-vapi-secret': 'benchmark-webhook-secret' }, body: () => JSON.stringify({ message: { type: 'assistant-request', call: { id: 'bench-call' }, customer: { number: phone } } }), rate, seconds: 5 });
    const n = rate * 6;
    console.log('round', r, 'p50', out.p50Ms, 'p99', out.p99Ms, 'max', out.maxMs, 'errors', out.errors, 'gateway µs/req', Math.round(((cpuOf(gateway.child.pid) - g0) * 1000) / n), 'voice µs/req', Math.round(((cpuOf(voice.child.pid) - v0) * 1000) / n));
  }
  gateway.kill('SIGTERM'); voice.kill('SIGTERM');
  await Promise.all([gateway.exited, voice.exited]);
  await deletePrefix(redisUrl, prefix); await deletePrefix(redisUrl, `${prefix}-voice`);
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
