import fc from 'fast-check';
import { hasStandingReply, VAPI_ID_MAX, VAPI_STANDING_REPLIES, VAPI_UNSTORABLE_TEXT } from './vapi';
import { voiceJobs } from './voice.queue';

describe('VAPI text the stores cannot take', () => {
  it.each([
    ['a NUL character', 'call\u0000id'],
    ['a lone high surrogate', 'call\ud83d'],
    ['a lone low surrogate', '\ude00call'],
  ])('refuses %s', (_, text) => {
    expect(VAPI_UNSTORABLE_TEXT.test(text)).toBe(true);
  });

  it('takes any well-formed text without NUL: emoji, CJK, right-to-left, control characters', () => {
    expect(VAPI_UNSTORABLE_TEXT.test('👩🏽‍💻 面包 مخبز \u202E\t\n')).toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(VAPI_UNSTORABLE_TEXT.test(text)).toBe(text.includes('\u0000'));
      }),
    );
  });

  it('agrees with what JSON and Postgres text take: a string it passes survives a UTF-8 round trip', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        if (!VAPI_UNSTORABLE_TEXT.test(text)) expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
      }),
    );
  });
});

describe('standing replies', () => {
  it('answers exactly the types it lists, and no inherited name', () => {
    for (const type of Object.keys(VAPI_STANDING_REPLIES)) expect(hasStandingReply(type)).toBe(true);
    for (const type of ['assistant-request', 'tool-calls', 'toString', 'constructor', '__proto__', '']) expect(hasStandingReply(type)).toBe(false);
  });
});

describe('the vapi-event job', () => {
  const schema = voiceJobs['vapi-event'].schema;
  const base = { v: 1, messageType: 'status-update', vapiCallId: 'c', receivedAt: '2026-03-01T09:00:00.000Z', sealedBody: 'jwe' };

  it('takes an event key of up to VAPI_ID_MAX characters and no longer', () => {
    expect(schema.safeParse({ ...base, eventKey: 'k'.repeat(VAPI_ID_MAX) }).success).toBe(true);
    expect(schema.safeParse({ ...base, eventKey: 'k'.repeat(VAPI_ID_MAX + 1) }).success).toBe(false);
    expect(schema.safeParse({ ...base, eventKey: '' }).success).toBe(false);
  });

  it('carries the body either sealed or in the clear, never both or neither', () => {
    const { sealedBody: _, ...bare } = { ...base, eventKey: 'k' };
    expect(schema.safeParse({ ...bare, sealedBody: 'jwe' }).success).toBe(true);
    expect(schema.safeParse({ ...bare, message: { type: 'status-update' } }).success).toBe(true);
    expect(schema.safeParse({ ...bare, sealedBody: 'jwe', message: { type: 'status-update' } }).success).toBe(false);
    expect(schema.safeParse(bare).success).toBe(false);
  });
});
