import fc from 'fast-check';
import { DOMAIN_TLDS, parseDomainName } from './domain-names';

/** Names as founders type them: letters of any script, digits, hyphens, dots, spaces and case. */
const typed = fc
  .tuple(
    fc.array(fc.constantFrom('seed', 'Bäckerei', 'café', '-', '1', 'x', 'パン', 'BAKERY', ' ', '.', 'xn--', '--'), { minLength: 1, maxLength: 5 }),
    fc.constantFrom(...DOMAIN_TLDS, 'COM', 'museum', ''),
  )
  .map(([parts, tld]) => `${parts.join('')}${tld ? `.${tld}` : ''}`);

describe('parsing a domain name', () => {
  it('gives a lower-case ASCII name of one label under an offered TLD, which parses to itself', () => {
    fc.assert(
      fc.property(typed, (input) => {
        const parsed = parseDomainName(input);
        if (!parsed.ok) return;
        expect(parsed.domain).toBe(`${parsed.label}.${parsed.tld}`);
        expect(parsed.domain).toMatch(/^[a-z0-9-]+\.[a-z]+$/);
        expect(DOMAIN_TLDS).toContain(parsed.tld);
        expect(parseDomainName(parsed.domain)).toEqual(parsed);
      }),
    );
  });

  it('refuses with a message for every failure', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        const parsed = parseDomainName(input);
        if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(10);
      }),
    );
  });

  it('checks the TLD against the list it is given', () => {
    expect(parseDomainName('seed.museum', ['museum'])).toMatchObject({ ok: true, tld: 'museum' });
    expect(parseDomainName('seed.com', ['io'])).toMatchObject({ ok: false, problem: 'unsupported_tld' });
  });
});
