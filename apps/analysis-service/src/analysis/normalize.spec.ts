import fc from 'fast-check';
import { BRAND_VIBES, COLOR_PREFERENCES, ENTITY_TYPES, PRICE_LEVELS, URGENCY_LEVELS, US_STATES } from '@dreamseed/contracts';
import { clip, normalizeField } from './merge';
import {
  normalizeBrandVibe,
  normalizeColorPreference,
  normalizeEntityType,
  normalizePriceLevel,
  normalizeState,
  normalizeUrgency,
  scoreCues,
  simplify,
} from './normalize';

const NORMALIZERS = [
  ['brand vibe', normalizeBrandVibe, BRAND_VIBES],
  ['colour preference', normalizeColorPreference, COLOR_PREFERENCES],
  ['price level', normalizePriceLevel, PRICE_LEVELS],
  ['entity type', normalizeEntityType, ENTITY_TYPES],
  ['urgency', normalizeUrgency, URGENCY_LEVELS],
  ['state', normalizeState, US_STATES],
] as const;

/** Free text with the words the lexicons look for mixed in, so that the search finds something now and then. */
const talk = fc
  .array(fc.oneof(fc.string(), fc.constantFrom('bold', 'not', 'nothing loud', 'LLC', 'Texas', 'asap', 'premium', 'blue', 'form in', 'Delaware', 'no rush', '\u2019', '  ')), { maxLength: 8 })
  .map((words) => words.join(' '));

describe('normalising free text to enum values', () => {
  it.each(NORMALIZERS)('a %s is always one of its values, or nothing', (_, normalize, values) => {
    fc.assert(
      fc.property(talk, (text) => {
        const value = normalize(text);
        expect(value === null || (values as readonly string[]).includes(value)).toBe(true);
      }),
    );
  });

  it.each(NORMALIZERS)('every %s value names itself, whatever its case, spaces or hyphens', (_, normalize, values) => {
    for (const value of values) {
      expect(normalize(value)).toBe(value);
      expect(normalize(` ${value.toUpperCase().replace(/_/g, ' ')} `)).toBe(value);
    }
  });

  it.each(NORMALIZERS)('finds no %s in empty text', (_, normalize) => {
    expect(normalize('')).toBeNull();
    expect(normalize(null)).toBeNull();
    expect(normalize(undefined)).toBeNull();
  });

  it.each([
    ['calm, warm, a little playful', normalizeBrandVibe, 'friendly'],
    ['nothing corporate, we are loud and proud', normalizeBrandVibe, 'bold'],
    ['We don\u2019t want to look cheap or loud: refined and timeless', normalizeBrandVibe, 'elegant'],
    ['Soft greens and cream, nothing loud', normalizeColorPreference, 'minimal'],
    ['bright orange and yellow', normalizeColorPreference, 'vibrant'],
    ['mid-range', normalizePriceLevel, 'mid-market'],
    ['we will charge more, top of the market', normalizePriceLevel, 'premium'],
    ['a limited liability company', normalizeEntityType, 'llc'],
    ['a 501(c)(3) charity', normalizeEntityType, 'nonprofit'],
    ['as soon as possible', normalizeUrgency, 'high'],
    ['no rush, next year', normalizeUrgency, 'low'],
  ] as const)('reads "%s" as the right value', (text, normalize, expected) => {
    expect((normalize as (t: string) => string | null)(text)).toBe(expected);
  });

  it('counts a negated cue against its value, and a phrase more than a word', () => {
    expect(scoreCues({ bold: ['bold'] }, 'not bold').get('bold')).toBe(-1);
    expect(scoreCues({ bold: ['bold'] }, 'bold, very bold').get('bold')).toBe(2);
    expect(scoreCues({ bold: ['stand out'] }, 'we want to stand out').get('bold')).toBe(1.5);
    expect(scoreCues({ bold: ['bold'] }, 'boldly').has('bold')).toBe(false);
  });

  it('simplifies text to the form the cues are written in', () => {
    expect(simplify('Don\u2019t  SHOUT\n\u201cplease\u201d')).toBe(' don\'t shout "please" ');
  });
});

describe('normalising a state', () => {
  it('reads every two-letter code on its own', () => {
    for (const code of US_STATES) {
      expect(normalizeState(code)).toBe(code);
      expect(normalizeState(code.toLowerCase())).toBe(code);
    }
  });

  it.each([
    ['Texas', 'TX'],
    ['west virginia', 'WV'],
    ['Virginia', 'VA'],
    ['Washington D.C.', 'DC'],
    ['Delaware, although we operate from Florida', 'DE'],
    ["we're in Ohio but will form in Delaware", 'DE'],
    ['based in Texas, registering it in Nevada', 'NV'],
    ['California or maybe Arizona', 'CA'],
    ['somewhere sunny', null],
  ])('reads "%s" as %s', (text, expected) => {
    expect(normalizeState(text)).toBe(expected);
  });
});

describe('normalising a field', () => {
  it('joins lists, maps enum fields and clips text fields to their stored length', () => {
    expect(normalizeField('colorPreference', ['navy', 'teal'])).toBe('cool');
    expect(normalizeField('urgencyLevel', 'ASAP')).toBe('high');
    expect(normalizeField('businessName', 'x'.repeat(300))).toBe(`${'x'.repeat(199)}…`);
    expect(normalizeField('whatProblem', 'word '.repeat(200))?.length).toBeLessThanOrEqual(500);
    expect(normalizeField('whatProblem', 42)).toBe('42');
  });

  it('finds nothing in nothing', () => {
    for (const value of [null, undefined, '', '   ', []]) expect(normalizeField('whatProblem', value)).toBeNull();
  });
});

// eslint-disable-next-line no-control-regex -- the control characters are what clipping must remove
const CONTROL = /[\u0000-\u001f\u007f]+/g;

describe('clipping text', () => {
  it('keeps text without control characters or runs of spaces, and cut text is a word-ended prefix', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 700 }), fc.integer({ min: 10, max: 500 }), (text, max) => {
        const clipped = clip(text, max) ?? '';
        const clean = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
        if (!clean) return expect(clipped).toBe('');
        expect(clipped).not.toMatch(CONTROL);
        expect(clipped).not.toMatch(/\s\s|^\s|\s$/);
        if (clean.length <= max) return expect(clipped).toBe(clean);
        expect(clipped.endsWith('…')).toBe(true);
        const kept = clipped.slice(0, -1);
        expect(kept.length).toBeLessThanOrEqual(max);
        expect(clean.startsWith(kept)).toBe(true);
      }),
    );
  });

  it('ends a cut at a word when one ends late enough', () => {
    expect(clip('the quick brown fox jumps over the lazy dog', 20)).toBe('the quick brown fox…');
    expect(clip('ab supercalifragilisticexpialidocious', 25)).toBe('ab supercalifragilistice…');
  });
});
