/**
 * A sample consultation: the four calls a founder with a bakery-waste idea has, line by line, with the summary and
 * structured data VAPI's analysis would give. The end-to-end tests play it as VAPI would, and outside production
 * the gateway plays it for a founder who asks for a sample (`POST /v1/me/calls/sample`), so the whole journey
 * can be seen on a laptop without a VAPI account.
 */
export interface SampleConsultationCall {
  stage: number;
  /** Who says what, in order: `AI` is the assistant, `User` the founder. */
  lines: [speaker: 'AI' | 'User', text: string][];
  summary: string;
  structuredData: Record<string, unknown>;
}

export const SAMPLE_CONSULTATION: readonly SampleConsultationCall[] = [
  {
    stage: 1,
    lines: [
      ['AI', 'What problem do you want to solve?'],
      ['User', 'Small bakeries throw away a lot of bread every night because they cannot predict demand.'],
      ['AI', 'Who would you serve?'],
      ['User', 'Independent neighbourhood bakeries, mostly family run, in Texas.'],
    ],
    summary: 'Founder wants to cut food waste for independent bakeries.',
    structuredData: { problem: 'bakeries waste unsold bread', audience: 'independent neighbourhood bakeries' },
  },
  {
    stage: 2,
    lines: [
      ['AI', 'What makes you different?'],
      ['User', 'We predict demand from weather and local events, and we pick up leftovers for food banks.'],
      ['AI', 'And the price level?'],
      ['User', 'Mid-range, a monthly subscription a small bakery can afford.'],
    ],
    summary: 'Demand forecasting plus leftover pickup, mid-market subscription.',
    structuredData: { difference: 'forecasting plus leftover pickup', price: 'mid-range' },
  },
  {
    stage: 3,
    lines: [
      ['AI', 'How should the brand feel?'],
      ['User', 'Calm, warm, a little playful. Soft greens and cream, nothing loud.'],
      ['AI', 'Any names in mind?'],
      ['User', 'Crumb Keeper, or Second Rise.'],
    ],
    summary: 'Friendly brand, minimal palette; names Crumb Keeper and Second Rise.',
    structuredData: { vibe: 'calm, warm, a little playful', names: ['Crumb Keeper', 'Second Rise'] },
  },
  {
    stage: 4,
    lines: [
      ['AI', 'Which entity would you like to form?'],
      ['User', 'An LLC in Texas, please, the standard package. We want to launch within three months.'],
    ],
    summary: 'LLC in Texas, standard package, launch in three months.',
    structuredData: { entity: 'llc', state: 'TX', package: 'standard', timeline: 'three months', urgency: 'high' },
  },
];
