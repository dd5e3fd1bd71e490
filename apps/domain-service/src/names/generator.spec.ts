import { DOMAIN_TLDS, parseDomainName } from '@dreamseed/contracts';
import { generateNames, pronounceability, wordsOf } from './generator';

const bakery = {
  brief: { businessName: 'Seed Bakery LLC', businessType: 'bakery', primaryService: 'sourdough bread', whoServes: 'local families', brandVibe: 'friendly' as const, priceLevel: 'mid-market' as const },
  limit: 40,
};

describe('the name generator', () => {
  it('gives the same list for the same input', () => {
    expect(generateNames(bakery)).toEqual(generateNames({ ...bakery, brief: { ...bakery.brief } }));
    expect(generateNames(bakery).length).toBe(40);
  });

  it('proposes valid, unique, supported names without hyphens or digits, best first', () => {
    const names = generateNames(bakery);
    expect(new Set(names.map((n) => n.domain)).size).toBe(names.length);
    for (const name of names) {
      expect(parseDomainName(name.domain)).toMatchObject({ ok: true, domain: name.domain });
      expect(name.label).toMatch(/^[a-z]+$/);
      expect(DOMAIN_TLDS).toContain(name.tld);
      expect(name.score).toBeGreaterThanOrEqual(0);
      expect(name.score).toBeLessThanOrEqual(100);
    }
    const scores = names.map((n) => n.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('keeps the business name first, on .com, with affixes that suit the vibe', () => {
    const names = generateNames(bakery);
    expect(names[0]?.domain).toBe('seedbakery.com');
    const labels = names.map((n) => n.label);
    expect(labels.some((l) => /^(hey|my|hello)seedbakery$|^seedbakery(hub|spot|club|nest)$/.test(l))).toBe(true);
    expect(labels.some((l) => /^(true|prime)|(group|partners)$/.test(l))).toBe(false);
    const bold = generateNames({ ...bakery, brief: { ...bakery.brief, brandVibe: 'bold' } }).map((n) => n.label);
    expect(bold.some((l) => /^(go|get)seedbakery$|^seedbakery(hq|labs|now|works)$/.test(l))).toBe(true);
  });

  it('chooses TLDs by price level and audience, or only those asked for', () => {
    const tlds = (request: Parameters<typeof generateNames>[0]) => [...new Set(generateNames(request).map((n) => n.tld))].sort();
    expect(tlds(bakery)).toEqual(['co', 'com', 'net', 'us']);
    const software = { brief: { businessName: 'Ledgerly', primaryService: 'bookkeeping software', whoServes: 'startups', priceLevel: 'premium' as const }, limit: 60 };
    expect(tlds(software)).toEqual(expect.arrayContaining(['com', 'io', 'app']));
    expect(tlds({ brief: { businessName: 'Penny Shop', primaryService: 'handmade goods', priceLevel: 'budget' as const }, limit: 60 })).toEqual(
      expect.arrayContaining(['com', 'shop', 'store']),
    );
    expect(tlds({ ...bakery, tlds: ['dev', 'xyz', 'org'] })).toEqual(['dev', 'org']);
    expect(tlds({ ...bakery, tlds: ['xyz'] })).toEqual(tlds(bakery));
  });

  it("builds from the founder's keywords when there is no Dream DNA, and folds accents", () => {
    const names = generateNames({ keywords: ['Café', 'verde'], limit: 60 });
    expect(names[0]?.domain).toBe('cafeverde.com');
    expect(names.map((n) => n.label)).toEqual(expect.arrayContaining(['cafe', 'verde', 'verdecafe']));
    expect(wordsOf('The Crème & Brûlée Co.')).toEqual(['creme', 'brulee']);
  });

  it('turns a keyword in a non-Latin script into a punycode label', () => {
    const names = generateNames({ keywords: ['東京'], limit: 10 });
    expect(names.map((n) => n.label)).toContain('xn--1lqs71d');
  });

  it('gives nothing when there is nothing to build from', () => {
    expect(generateNames({ limit: 10 })).toEqual([]);
    expect(generateNames({ keywords: ['!!!', 'the'], limit: 10 })).toEqual([]);
  });

  it('scores pronounceable labels above consonant pile-ups', () => {
    expect(pronounceability('seedbakery')).toBeGreaterThan(pronounceability('xkcdtrwq'));
  });
});

describe('parseDomainName', () => {
  it('normalises case, a trailing dot and internationalised names', () => {
    expect(parseDomainName(' SeedBakery.COM. ')).toEqual({ ok: true, domain: 'seedbakery.com', label: 'seedbakery', tld: 'com' });
    expect(parseDomainName('bücher.com')).toMatchObject({ ok: true, domain: 'xn--bcher-kva.com' });
  });

  it.each([
    ['', 'empty'],
    ['seed bakery.com', 'bad_characters'],
    ['seed_bakery.com', 'bad_characters'],
    ['-seed.com', 'hyphen_position'],
    ['seed-.com', 'hyphen_position'],
    ['se--ed.com', 'hyphen_position'],
    [`${'a'.repeat(64)}.com`, 'label_length'],
    [`${'a.'.repeat(130)}com`, 'too_long'],
    ['seedbakery', 'no_tld'],
    ['seedbakery.xyz', 'unsupported_tld'],
    ['shop.seedbakery.com', 'bad_characters'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(parseDomainName(input)).toMatchObject({ ok: false, problem });
  });
});
