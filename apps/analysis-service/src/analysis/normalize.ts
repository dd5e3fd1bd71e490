import {
  BRAND_VIBES,
  COLOR_PREFERENCES,
  ENTITY_TYPES,
  PRICE_LEVELS,
  URGENCY_LEVELS,
  US_STATES,
  type BrandVibe,
  type ColorPreference,
  type EntityType,
  type PriceLevel,
} from '@dreamseed/contracts';

/**
 * Free text to the platform's enum values. Each value has cue words and phrases; the text's score for a value
 * is the number of its cues found (phrases weigh more), negated cues ("nothing loud") count against, and the
 * best score wins. No cue found means no value: a field is never guessed.
 */
type Lexicon<T extends string> = Record<T, readonly string[]>;

const BRAND_VIBE_CUES: Lexicon<BrandVibe> = {
  professional: ['professional', 'corporate', 'serious', 'trustworthy', 'trusted', 'reliable', 'clean and simple', 'credible', 'established', 'expert', 'businesslike', 'polished', 'competent', 'no-nonsense', 'authoritative', 'clinical', 'precise'],
  bold: ['bold', 'loud', 'edgy', 'daring', 'energetic', 'energy', 'punchy', 'fierce', 'strong', 'powerful', 'disruptive', 'rebellious', 'stand out', 'in your face', 'intense', 'dynamic', 'confident', 'loud and proud', 'adventurous'],
  friendly: ['friendly', 'warm', 'playful', 'fun', 'approachable', 'calm', 'cosy', 'cozy', 'welcoming', 'cheerful', 'casual', 'kind', 'caring', 'gentle', 'homely', 'down to earth', 'down-to-earth', 'relaxed', 'inviting', 'neighbourly', 'neighborly', 'human'],
  elegant: ['elegant', 'luxury', 'luxurious', 'refined', 'sophisticated', 'classy', 'timeless', 'graceful', 'upscale', 'exclusive', 'high-end', 'high end', 'chic', 'understated', 'premium feel', 'boutique', 'artisanal', 'delicate'],
};

const COLOR_CUES: Lexicon<ColorPreference> = {
  cool: ['cool', 'blue', 'blues', 'navy', 'teal', 'green', 'greens', 'sage', 'turquoise', 'grey', 'gray', 'silver', 'calm colours', 'calm colors', 'ocean', 'slate', 'mint', 'aqua', 'icy'],
  vibrant: ['vibrant', 'bright', 'colourful', 'colorful', 'neon', 'orange', 'yellow', 'red', 'pink', 'magenta', 'purple', 'bold colours', 'bold colors', 'saturated', 'rainbow', 'pop of colour', 'pop of color', 'lime', 'electric'],
  minimal: ['minimal', 'minimalist', 'monochrome', 'black and white', 'white space', 'neutral', 'neutrals', 'cream', 'beige', 'muted', 'soft', 'nothing loud', 'simple palette', 'earthy', 'sand', 'off-white', 'pastel', 'pastels', 'understated'],
};

const PRICE_CUES: Lexicon<PriceLevel> = {
  budget: ['budget', 'cheap', 'affordable for everyone', 'low cost', 'low-cost', 'lowest price', 'inexpensive', 'bargain', 'discount', 'cheapest', 'economical', 'value for money', 'low price', 'low prices', 'entry level', 'entry-level', 'accessible price', 'free tier'],
  'mid-market': ['mid-range', 'mid range', 'midrange', 'mid-market', 'mid market', 'middle of the market', 'middle of the road', 'moderate', 'moderately priced', 'fair price', 'reasonable', 'reasonably priced', 'affordable', 'competitive', 'average price', 'not the cheapest', 'in the middle', 'a small business can afford', 'monthly subscription'],
  premium: ['premium', 'luxury', 'high-end', 'high end', 'expensive', 'top dollar', 'top of the market', 'upmarket', 'upscale', 'exclusive', 'high price', 'high prices', 'premium price', 'charge more', 'price it high', 'top tier', 'top-tier', 'boutique pricing'],
};

const ENTITY_CUES: Lexicon<EntityType> = {
  llc: ['llc', 'l.l.c', 'limited liability company', 'limited liability'],
  corporation: ['corporation', 'c corp', 'c-corp', 's corp', 's-corp', 'incorporate', 'incorporated', ' inc'],
  partnership: ['partnership', 'partners', 'general partnership', 'limited partnership'],
  sole_proprietorship: ['sole proprietorship', 'sole proprietor', 'sole trader', 'just me on my own', 'self-employed'],
  nonprofit: ['nonprofit', 'non-profit', 'not-for-profit', 'not for profit', 'charity', '501(c)', '501c3', '501(c)(3)'],
};

const URGENCY_CUES: Lexicon<(typeof URGENCY_LEVELS)[number]> = {
  high: ['asap', 'as soon as possible', 'urgent', 'urgently', 'right away', 'immediately', 'this week', 'this month', 'next week', 'within a month', 'within weeks', 'quickly', 'in a hurry', 'high', 'soon', 'within three months', 'within 3 months', 'in a few weeks'],
  medium: ['medium', 'in a few months', 'within six months', 'within 6 months', 'this year', 'next few months', 'by the summer', 'by summer', 'no rush but', 'in the spring', 'in the fall'],
  low: ['low', 'no rush', 'no hurry', 'eventually', 'someday', 'some day', 'next year', 'not urgent', 'whenever', 'in a year', 'long term', 'exploring', 'just exploring', 'taking my time'],
};

const NEGATIONS = ['nothing', 'not', 'no', "don't", 'do not', 'never', 'without', 'avoid', 'less', 'rather than', 'instead of', 'nothing too', 'not too', 'hate'];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lowercase, straight quotes, single spaces: the form the cues are written in. */
export function simplify(text: string): string {
  return ` ${text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ')} `;
}

function negated(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 20), index);
  return NEGATIONS.some((word) => new RegExp(`(^|[^a-z'])${escape(word)}\\s+(\\w+\\s+)?$`).test(before));
}

/** Each value's score in the text; a phrase counts more than a single word. */
export function scoreCues<T extends string>(lexicon: Lexicon<T>, text: string): Map<T, number> {
  const simple = simplify(text);
  const scores = new Map<T, number>();
  for (const [value, cues] of Object.entries(lexicon) as [T, readonly string[]][]) {
    let score = 0;
    for (const cue of cues) {
      const pattern = new RegExp(`(^|[^a-z0-9])${escape(cue.trim())}(?=[^a-z0-9]|$)`, 'g');
      for (const match of simple.matchAll(pattern)) {
        const weight = cue.trim().includes(' ') ? 1.5 : 1;
        score += negated(simple, match.index + (match[1] ?? '').length) ? -weight : weight;
      }
    }
    if (score !== 0) scores.set(value, score);
  }
  return scores;
}

function best<T extends string>(lexicon: Lexicon<T>, text: string | null | undefined): T | null {
  if (!text) return null;
  let winner: T | null = null;
  let top = 0;
  for (const [value, score] of scoreCues(lexicon, text)) {
    if (score > top) {
      winner = value;
      top = score;
    }
  }
  return winner;
}

const exact = <T extends string>(values: readonly T[], text: string): T | null => {
  const simple = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return values.find((value) => value.replace(/-/g, '_') === simple) ?? null;
};

export const normalizeBrandVibe = (text: string | null | undefined): BrandVibe | null =>
  text ? (exact(BRAND_VIBES, text) ?? best(BRAND_VIBE_CUES, text)) : null;
export const normalizeColorPreference = (text: string | null | undefined): ColorPreference | null =>
  text ? (exact(COLOR_PREFERENCES, text) ?? best(COLOR_CUES, text)) : null;
export const normalizePriceLevel = (text: string | null | undefined): PriceLevel | null =>
  text ? (exact(PRICE_LEVELS, text) ?? best(PRICE_CUES, text)) : null;
export const normalizeEntityType = (text: string | null | undefined): EntityType | null =>
  text ? (exact(ENTITY_TYPES, text) ?? best(ENTITY_CUES, text)) : null;
export const normalizeUrgency = (text: string | null | undefined): (typeof URGENCY_LEVELS)[number] | null =>
  text ? (exact(URGENCY_LEVELS, text) ?? best(URGENCY_CUES, text)) : null;

const STATE_NAMES: Record<string, (typeof US_STATES)[number]> = {
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
  delaware: 'DE', 'district of columbia': 'DC', 'washington dc': 'DC', 'washington d.c.': 'DC', florida: 'FL', georgia: 'GA',
  hawaii: 'HI', idaho: 'ID', illinois: 'IL', indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY', louisiana: 'LA',
  maine: 'ME', maryland: 'MD', massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO',
  montana: 'MT', nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM',
  'new york': 'NY', 'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR',
  pennsylvania: 'PA', 'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX',
  utah: 'UT', vermont: 'VT', virginia: 'VA', 'washington state': 'WA', washington: 'WA', 'west virginia': 'WV',
  wisconsin: 'WI', wyoming: 'WY',
};
const STATE_PATTERN = new RegExp(
  `(^|[^a-z])(${Object.keys(STATE_NAMES).sort((a, b) => b.length - a.length).map(escape).join('|')})(?=[^a-z]|$)`,
  'g',
);

/**
 * A US state from free text: a two-letter code on its own ("TX") or a state's name. When several are named, the
 * one the business is formed or registered in wins over the one the founder lives or operates in ("Delaware,
 * although we operate from Florida"; "we're in Ohio but will form in Delaware"); otherwise the first.
 */
export function normalizeState(text: string | null | undefined): (typeof US_STATES)[number] | null {
  if (!text) return null;
  const code = text.trim().toUpperCase();
  if ((US_STATES as readonly string[]).includes(code)) return code as (typeof US_STATES)[number];
  const simple = simplify(text);
  let found: (typeof US_STATES)[number] | null = null;
  let top = -Infinity;
  for (const match of simple.matchAll(STATE_PATTERN)) {
    // "west virginia" also contains "virginia": the longest name at a position wins thanks to the sort above.
    // The words before the name, up to and including the separator the pattern matched ahead of it.
    const start = match.index + (match[1] ?? '').length;
    const before = simple.slice(Math.max(0, start - 30), start);
    const score = (/(form|incorporat|register|file|filing)\w*\s+(it\s+)?(in\s+)?(\w+\s+)?$/.test(before) ? 2 : 0) - (/(operate|based|live|living|from|located)\w*\s+(in\s+|from\s+|out of\s+)?$/.test(before) ? 1 : 0);
    if (score > top) {
      found = STATE_NAMES[match[2] ?? ''] ?? found;
      top = score;
    }
  }
  return found;
}
