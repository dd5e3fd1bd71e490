import { domainToASCII } from 'node:url';
import { DOMAIN_TLDS, type BrandVibe, type DomainBrief, type PriceLevel } from '@dreamseed/contracts';

export interface NameRequest {
  brief?: DomainBrief;
  /** The founder's own words, strongest after the business name. */
  keywords?: readonly string[];
  /** Only these TLDs when given (already checked against DOMAIN_TLDS). */
  tlds?: readonly string[];
  limit: number;
}

export interface NameCandidate {
  domain: string;
  label: string;
  tld: string;
  /** 0–100: length, pronounceability, no hyphens or digits, keyword kept, TLD fit. */
  score: number;
}

/** Words that say nothing about the business (articles, legal forms, filler). */
const FILLER = new Set(
  'a an and the of for to in on at by with from our your my we us you llc inc ltd corp co company business businesses services service solutions group people who that this is are'.split(' '),
);

/** Affixes that suit each brand vibe; `neutral` is for a founder without a Dream DNA yet. */
const AFFIXES: Record<BrandVibe | 'neutral', { prefixes: string[]; suffixes: string[] }> = {
  professional: { prefixes: ['true', 'prime'], suffixes: ['group', 'partners', 'pro', 'hq'] },
  bold: { prefixes: ['go', 'get'], suffixes: ['hq', 'labs', 'now', 'works'] },
  friendly: { prefixes: ['hey', 'my', 'hello'], suffixes: ['hub', 'spot', 'club', 'nest'] },
  elegant: { prefixes: ['the', 'maison'], suffixes: ['studio', 'house', 'atelier', 'co'] },
  neutral: { prefixes: ['get', 'try'], suffixes: ['hq', 'hub', 'co'] },
};

/** TLDs in order of preference for each price level, before the audience adds its own. */
const TLDS_BY_PRICE: Record<PriceLevel | 'unknown', string[]> = {
  budget: ['com', 'co', 'shop', 'us', 'biz'],
  'mid-market': ['com', 'co', 'net', 'us'],
  premium: ['com', 'co', 'io'],
  unknown: ['com', 'co', 'net'],
};

/** Audience or offer words that make a TLD fit, checked in the Dream DNA and the business type. */
const AUDIENCE_TLDS: [RegExp, string[]][] = [
  [/\b(software|saas|apps?|developers?|tech|startups?|data|digital|platform|api|cloud)\b/, ['io', 'app', 'dev']],
  [/\b(ai|machine learning|automation)\b/, ['ai']],
  [/\b(shops?|stores?|retail|boutique|ecommerce|products|goods|merch)\b/, ['shop', 'store']],
  [/\b(nonprofit|non-profit|charity|community|foundation|volunteers?)\b/, ['org']],
  [/\b(local|neighbou?rhood|americans?|families|town|city)\b/, ['us']],
];

const MAX_TLDS = 5;

/**
 * Domain names from the business name, the founder's keywords and the Dream DNA: the name itself, keyword
 * combinations, and prefixes and suffixes that suit the brand vibe, under TLDs chosen by price level and
 * audience. Scored, deduplicated and ordered best first; the same request always gives the same list.
 */
export function generateNames(request: NameRequest): NameCandidate[] {
  const brief = request.brief ?? {};
  const nameWords = wordsOf(brief.businessName);
  const keywordWords = (request.keywords ?? []).flatMap((keyword) => wordsOf(keyword));
  const serviceWords = [...wordsOf(brief.primaryService).slice(0, 2), ...wordsOf(brief.businessType).slice(0, 2)];
  // Without a business name, the founder's first keywords together stand for it.
  const nameCore = nameWords.join('') || keywordWords.slice(0, 2).join('');

  const bases: string[] = [];
  const add = (label: string) => bases.push(label);
  if (nameCore) add(nameCore);
  for (const keyword of request.keywords ?? []) {
    const folded = wordsOf(keyword).join('');
    if (folded) add(folded);
    else {
      // A keyword in a script with no Latin folding (東京) becomes an internationalised label (punycode).
      const idn = domainToASCII(`${keyword.trim().toLowerCase().replace(/\s+/g, '')}.com`).split('.')[0];
      if (idn?.startsWith('xn--')) add(idn);
    }
  }
  const strong = unique([...nameWords, ...keywordWords]);
  for (const a of strong) for (const b of unique([...strong, ...serviceWords])) if (a !== b) add(a + b);
  for (const word of strong) add(word);
  const affixes = AFFIXES[brief.brandVibe ?? 'neutral'];
  for (const base of unique([nameCore, ...unique(keywordWords)].filter(Boolean)).slice(0, 3)) {
    for (const prefix of affixes.prefixes) if (!base.startsWith(prefix)) add(prefix + base);
    for (const suffix of affixes.suffixes) if (!base.endsWith(suffix)) add(base + suffix);
  }

  const tlds = chooseTlds(brief, request.tlds);
  const kept = { core: nameCore, keywords: keywordWords, words: nameWords };
  const candidates = new Map<string, NameCandidate>();
  for (const label of unique(bases)) {
    if (!isUsableLabel(label)) continue;
    const labelScore = scoreLabel(label, kept);
    tlds.forEach((tld, rank) => {
      const domain = `${label}.${tld}`;
      if (!candidates.has(domain)) candidates.set(domain, { domain, label, tld, score: Math.round(labelScore + Math.max(15 - rank * 3, 0)) });
    });
  }
  return [...candidates.values()]
    .sort((x, y) => y.score - x.score || x.label.length - y.label.length || x.domain.localeCompare(y.domain))
    .slice(0, request.limit);
}

/** Lower-case ASCII words, accents folded (Café → cafe), filler dropped. */
export function wordsOf(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 2 && !FILLER.has(word));
}

function chooseTlds(brief: DomainBrief, requested: readonly string[] | undefined): string[] {
  // Asked-for TLDs the platform does not offer are dropped; when none is left, the usual choice applies.
  const offered = unique((requested ?? []).filter((tld) => (DOMAIN_TLDS as readonly string[]).includes(tld)));
  if (offered.length) return offered;
  const about = [brief.whoServes, brief.primaryService, brief.businessType].filter(Boolean).join(' ').toLowerCase();
  const fitting = AUDIENCE_TLDS.filter(([pattern]) => pattern.test(about)).flatMap(([, tlds]) => tlds);
  const [first, ...rest] = TLDS_BY_PRICE[brief.priceLevel ?? 'unknown'];
  // .com leads; what suits the audience comes before the price level's other picks.
  return unique([first as string, ...fitting, ...rest]).slice(0, MAX_TLDS);
}

function isUsableLabel(label: string): boolean {
  return label.length >= 3 && label.length <= 63 && /^[a-z0-9-]+$/.test(label) && !label.startsWith('-') && !label.endsWith('-');
}

function scoreLabel(label: string, kept: { core: string; keywords: string[]; words: string[] }): number {
  return lengthScore(label) + pronounceability(label) + cleanliness(label) + keywordKept(label, kept);
}

/** 30 for 6–12 characters, less the further from it. */
function lengthScore(label: string): number {
  if (label.startsWith('xn--')) return 10;
  const n = label.length;
  if (n < 6) return Math.max(30 - (6 - n) * 4, 0);
  if (n > 12) return Math.max(30 - (n - 12) * 3, 0);
  return 30;
}

/** Up to 25: penalises consonant pile-ups, too few or too many vowels, tripled and look-alike letters. */
export function pronounceability(label: string): number {
  if (label.startsWith('xn--')) return 5;
  const letters = label.replace(/[^a-z]/g, '');
  if (!letters) return 0;
  let score = 25;
  if (/[^aeiouy]{4,}/.test(letters)) score -= 12;
  const vowels = letters.replace(/[^aeiouy]/g, '').length / letters.length;
  if (vowels < 0.25 || vowels > 0.65) score -= 8;
  if (/(.)\1\1/.test(letters)) score -= 5;
  if (/rn|vv|cl|ll1|l1|1l/.test(label)) score -= 3;
  return Math.max(score, 0);
}

/** 10 without hyphens or digits. */
function cleanliness(label: string): number {
  return Math.max(10 - (label.includes('-') ? 6 : 0) - (/[0-9]/.test(label) ? 6 : 0), 0);
}

/** Up to 20: the business name itself, then with an affix, then a founder's keyword, then a word of the name. */
function keywordKept(label: string, kept: { core: string; keywords: string[]; words: string[] }): number {
  if (kept.core && label === kept.core) return 20;
  if (kept.core && label.includes(kept.core)) return 17;
  if (kept.keywords.includes(label)) return 16;
  if (kept.keywords.some((word) => label.includes(word))) return 14;
  if (kept.words.some((word) => label.includes(word))) return 12;
  return 4;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
