import { withoutNul } from './db';

describe('withoutNul', () => {
  it('returns the very value when it holds no NUL character', () => {
    const message = { type: 'transcript', turns: [{ text: 'Hello' }, 3, null], nested: { deep: ['a'] } };
    expect(withoutNul(message)).toBe(message);
  });

  it('drops NUL characters from strings and keys at any depth, leaving the rest as it was', () => {
    const message = { type: 'transcript', turns: [{ text: 'Hel\u0000lo' }, 3, null], ['k\u0000ey']: true };
    expect(withoutNul(message)).toEqual({ type: 'transcript', turns: [{ text: 'Hello' }, 3, null], key: true });
    expect(message.turns[0]).toEqual({ text: 'Hel\u0000lo' }); // a copy: the original is untouched
    expect(withoutNul('a\u0000b')).toBe('ab');
  });
});
