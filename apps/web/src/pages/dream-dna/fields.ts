import type { DreamDna } from '../../api/queries';

/** The Dream DNA's fields, asked the way the founder would think of them. */
export const DNA_FIELDS = [
  { key: 'what_problem', label: 'The problem you solve' },
  { key: 'who_serves', label: 'Who you serve' },
  { key: 'how_different', label: 'What makes you different' },
  { key: 'primary_service', label: 'Your main service' },
  { key: 'brand_vibe', label: 'Brand vibe' },
  { key: 'color_preference', label: 'Colours' },
  { key: 'price_level', label: 'Price level' },
  { key: 'selected_domain', label: 'Domain' },
] as const satisfies readonly { key: keyof DreamDna; label: string }[];

type DnaFieldKey = (typeof DNA_FIELDS)[number]['key'];

/** What the founder said that a field rests on; none for the domain, or when the analysis kept no quote. */
export function quoteFor(dna: DreamDna, key: DnaFieldKey): string | undefined {
  const evidence: Partial<Record<DnaFieldKey, { quote: string }>> = dna.evidence;
  return evidence[key]?.quote;
}

export const fieldLabel = (key: string) => DNA_FIELDS.find((f) => f.key === key)?.label ?? key.replaceAll('_', ' ');

/** The fields a version changed from the one before it. */
export function changedFields(version: DreamDna, previous: DreamDna | undefined): string[] {
  if (!previous) return [];
  return DNA_FIELDS.filter(({ key }) => version[key] !== previous[key]).map((f) => f.label);
}
