import fc from 'fast-check';
import { VAPI_ID_MAX, VAPI_UNSTORABLE_TEXT } from '@dreamseed/contracts';
import { vapiEventKey } from './vapi';

type Message = Parameters<typeof vapiEventKey>[0];
/** The key of a delivery, computed from its body as the webhook receives it. */
const keyOf = (message: Record<string, unknown>) => {
  const raw = Buffer.from(JSON.stringify({ message }));
  return vapiEventKey(message as unknown as Message, raw);
};

describe('the VAPI event key', () => {
  it('names an end-of-call report by its call alone, so every copy of it is one event', () => {
    const first = keyOf({ type: 'end-of-call-report', call: { id: 'call-1' }, timestamp: 1, endedReason: 'hangup' });
    const resent = keyOf({ type: 'end-of-call-report', call: { id: 'call-1' }, timestamp: 2, endedReason: 'customer-ended-call' });
    expect(first).toBe('end-of-call-report|call-1');
    expect(resent).toBe(first);
    expect(keyOf({ type: 'end-of-call-report', call: { id: 'call-2' } })).not.toBe(first);
  });

  it('names a status update by its call and status', () => {
    expect(keyOf({ type: 'status-update', call: { id: 'c' }, status: 'ended', timestamp: 5 })).toBe('status-update|c|ended');
    expect(keyOf({ type: 'status-update', call: { id: 'c' }, status: 'ended', timestamp: 6 })).toBe('status-update|c|ended');
    expect(keyOf({ type: 'status-update', call: { id: 'c' }, status: 'in-progress' })).not.toBe(keyOf({ type: 'status-update', call: { id: 'c' }, status: 'ended' }));
  });

  it('names a transcript by its call, time, speaker and kind, the typed variants included', () => {
    const base = { call: { id: 'c' }, timestamp: 7, role: 'user', transcriptType: 'final', transcript: 'hello' };
    expect(keyOf({ type: 'transcript', ...base })).toBe('transcript|c|7|user|final');
    expect(keyOf({ type: 'transcript', ...base, transcript: 'hello again' })).toBe('transcript|c|7|user|final');
    expect(keyOf({ type: 'transcript[transcriptType="final"]', ...base })).toBe('transcript[transcriptType="final"]|c|7|user|final');
  });

  it('names any other message by its whole body, and one without a call as no-call', () => {
    const update = { type: 'conversation-update', call: { id: 'c' }, timestamp: 9, messages: [{ role: 'user', message: 'hi' }] };
    expect(keyOf(update)).toBe(keyOf({ ...update }));
    expect(keyOf(update)).not.toBe(keyOf({ ...update, messages: [] }));
    expect(keyOf({ type: 'hang', timestamp: 3 })).toMatch(/^hang\|no-call\|3\|[0-9a-f]{64}$/);
  });

  it('is the same for every copy of a delivery, at most VAPI_ID_MAX long and storable, whatever the ids hold', () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('a\u0000b', '\ud800', 'x'.repeat(500)));
    const message = fc.record({
      type: fc.oneof(fc.constantFrom('end-of-call-report', 'status-update', 'transcript', 'transcript[transcriptType="partial"]', 'speech-update'), text.filter((t) => t.length > 0)),
      call: fc.record({ id: text }),
      status: text,
      role: text,
      transcriptType: text,
      timestamp: fc.oneof(fc.integer(), fc.string({ maxLength: 30 })),
    });
    fc.assert(
      fc.property(message, (m) => {
        const key = keyOf(m);
        expect(keyOf(structuredClone(m))).toBe(key);
        expect(key.length).toBeLessThanOrEqual(VAPI_ID_MAX);
        expect(VAPI_UNSTORABLE_TEXT.test(key)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never cuts a long type inside a character, so the hashed key stays storable', () => {
    const type = `${'t'.repeat(59)}\u{1F600}${'x'.repeat(20)}`;
    const key = keyOf({ type, call: { id: 'c'.repeat(VAPI_ID_MAX) }, timestamp: 1 });
    expect(VAPI_UNSTORABLE_TEXT.test(key)).toBe(false);
    expect(key.length).toBeLessThanOrEqual(VAPI_ID_MAX);
  });
});
