import { startTestService } from '@dreamseed/platform/testing';
import { startVoiceService } from '../app';
import { loadVoiceConfig } from '../config';

/**
 * A voice service of the test's own (in-process, own queue prefix), a producer on that prefix, and a pool for
 * looking at the rows it writes.
 */
export function startTestVoice(env: Record<string, string> = {}) {
  return startTestService({ label: 'voice', start: (base, logger) => startVoiceService(loadVoiceConfig({ ...base, ...env }), logger) });
}

export type TestVoice = Awaited<ReturnType<typeof startTestVoice>>;
