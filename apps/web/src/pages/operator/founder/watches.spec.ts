import { describe, expect, it } from 'vitest';
import type { FounderFile } from '../api';
import { awaiting, lookForRun, settle, WATCH_MS, type Watch } from './watches';

const requestId = '0e0d5d1c-9f6a-4b7e-8d7c-3a8b4f0d2e11';
const run = (status: 'queued' | 'succeeded' | 'unchanged', version: number) => ({
  id: requestId,
  trigger: 'manual',
  provider: 'offline',
  model: null,
  prompt_version: null,
  status,
  dream_dna_version: version,
  latency_ms: null,
  error: null,
  created_at: '2026-12-01T10:00:00Z',
  completed_at: null,
});
const fileWith = (analyses: ReturnType<typeof run>[]) => ({ dream_dna: { status: 'ok', versions: [], analyses } }) as unknown as FounderFile;
const unavailable = { dream_dna: { status: 'unavailable', code: 'owner_unavailable', message: 'The analysis service did not answer.' } } as unknown as FounderFile;

const rerun = (startedAt: number): Watch => ({
  id: 'audit-1',
  title: 'Re-run the analysis',
  startedAt,
  look: lookForRun({ action: 'rerun-analysis', status: 'accepted', audit_id: 'audit-1', request_id: requestId }),
});

describe('waiting for an action’s result in the file', () => {
  it('keeps reading until the run it started has finished, then says what it made', () => {
    const watches = [rerun(0)];
    expect(settle(watches, fileWith([]), 1000)).toBe(watches);
    expect(settle(watches, fileWith([run('queued', 4)]), 2000)).toBe(watches);
    expect(settle(watches, unavailable, 3000)).toBe(watches);
    const done = settle(watches, fileWith([run('succeeded', 5)]), 4000);
    expect(done[0]?.outcome).toEqual({ message: 'The analysis ran again and made Dream DNA version 5.', late: false });
    expect(awaiting(done)).toBe(false);
  });

  it('says when the run found nothing new', () => {
    expect(settle([rerun(0)], fileWith([run('unchanged', 4)]), 1)[0]?.outcome?.message).toBe('The analysis ran again and found nothing new: the Dream DNA stays at version 4.');
  });

  it('stops after a minute, pointing to the audit log', () => {
    const [late] = settle([rerun(0)], fileWith([]), WATCH_MS);
    expect(late?.outcome?.late).toBe(true);
    expect(late?.outcome?.message).toMatch(/audit log/);
  });
});
