import { fitForPostgres } from './db';

describe('fitForPostgres', () => {
  it('returns the very value when it holds nothing Postgres refuses', () => {
    const message = { type: 'transcript', turns: [{ text: 'Hello' }, 3, null], nested: { deep: ['a'] } };
    expect(fitForPostgres(message)).toBe(message);
  });

  it('drops NUL characters from strings and keys at any depth, leaving the rest as it was', () => {
    const message = { type: 'transcript', turns: [{ text: 'Hel\u0000lo' }, 3, null], ['k\u0000ey']: true };
    expect(fitForPostgres(message)).toEqual({ type: 'transcript', turns: [{ text: 'Hello' }, 3, null], key: true });
    expect(message.turns[0]).toEqual({ text: 'Hel\u0000lo' }); // a copy: the original is untouched
    expect(fitForPostgres('a\u0000b')).toBe('ab');
  });
});

describe('fitForPostgres with unpaired surrogates', () => {
  it('replaces a lone surrogate with U+FFFD and keeps pairs (emoji) whole', () => {
    const message = { text: 'a\udc00b \ud83c\udf31 c\ud800', ['k\udfffey']: 'ok' };
    expect(fitForPostgres(message)).toEqual({ text: 'a\ufffdb \ud83c\udf31 c\ufffd', ['k\ufffdey']: 'ok' });
  });

  it('gives JSON that a Postgres jsonb value accepts', () => {
    const fitted = JSON.stringify(fitForPostgres({ said: 'x\udc00\u0000y' }));
    expect(fitted).toBe('{"said":"x\ufffdy"}');
  });
});
