// Long because it is data: whole four-call consultations, kept in one place so tests and the bench read the same set.
import type { BrandVibe, ColorPreference, EntityType, PriceLevel } from '@dreamseed/contracts';

/**
 * Realistic four-call consultations with what a careful reader takes from them. The offline extractor's
 * accuracy is measured on these (tests and `npm run bench`); they were written from how founders talk, not from
 * the extractor's word lists.
 */
export interface ConsultationFixture {
  name: string;
  calls: { stage: number; turns: [speaker: 'AI' | 'User', text: string][]; structuredData?: Record<string, unknown> }[];
  expected: {
    brandVibe: BrandVibe;
    colorPreference: ColorPreference;
    priceLevel: PriceLevel;
    entityType: EntityType;
    stateOfOperation: string;
    urgencyLevel: 'high' | 'medium' | 'low';
    /** Words the problem, audience, difference and main service must contain. */
    whatProblem: string;
    whoServes: string;
    howDifferent: string;
    primaryService: string;
  };
}

export const CONSULTATION_FIXTURES: ConsultationFixture[] = [
  {
    name: 'dog walking for busy professionals',
    calls: [
      { stage: 1, turns: [
        ['AI', 'Hi Maya, great to meet you. What problem are you hoping to solve?'],
        ['User', 'So, people who work long hours feel guilty leaving their dogs alone all day, and the big apps send a different stranger every time.'],
        ['AI', 'Who are your customers, specifically?'],
        ['User', 'Busy professionals in downtown Denver with one or two dogs, mostly in apartments.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'What sets you apart from Rover and Wag?'],
        ['User', 'Every dog gets the same walker every week, and owners get a short video after each walk.'],
        ['AI', 'What is the main service you will sell?'],
        ['User', 'Daily forty-minute group walks, booked as a weekly plan.'],
        ['AI', 'How are you thinking about pricing?'],
        ['User', 'Premium. I want to charge more than the apps because the service is personal.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'How should the brand feel to a customer?'],
        ['User', 'Fun and energetic, but friendly, like a neighbour you trust with your keys.'],
        ['AI', 'Any colours you like?'],
        ['User', 'Bright orange and yellow, something you notice on a leash.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What legal structure do you want for the business?'],
        ['User', 'An LLC, I think, to keep my own savings separate.'],
        ['AI', 'And which state will you form it in?'],
        ['User', 'Colorado, where I live.'],
        ['AI', 'How soon do you want to get started?'],
        ['User', 'As soon as possible, spring is our busy season.'],
      ] },
    ],
    expected: { brandVibe: 'friendly', colorPreference: 'vibrant', priceLevel: 'premium', entityType: 'llc', stateOfOperation: 'CO', urgencyLevel: 'high', whatProblem: 'dogs', whoServes: 'professionals', howDifferent: 'same walker', primaryService: 'walks' },
  },
  {
    name: 'bookkeeping for contractors',
    calls: [
      { stage: 1, turns: [
        ['AI', 'Tell me about the problem you want to fix.'],
        ['User', 'Contractors are drowning in receipts and they miss deductions because nobody keeps their books up to date.'],
        ['AI', 'Who would you serve?'],
        ['User', 'Small construction contractors, plumbers and electricians with under ten employees.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'Why would a contractor pick you over a regular accountant?'],
        ['User', 'We speak their language, we collect receipts by text message, and we close the books every week instead of once a year.'],
        ['AI', 'What do you offer, in one line?'],
        ['User', 'Monthly bookkeeping and quarterly tax estimates for trades businesses.'],
        ['AI', 'Where do your prices sit compared with others?'],
        ['User', 'Mid-range. Not the cheapest, but fair for what they get.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'What personality should the brand have?'],
        ['User', 'Professional and trustworthy. These guys need to feel their money is safe.'],
        ['AI', 'And colours?'],
        ['User', 'Navy blue and steel grey.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'Which entity would you like to form?'],
        ['User', 'My partner and I want an S corp for the tax side.'],
        ['AI', 'Which state?'],
        ['User', 'Ohio.'],
        ['AI', 'What is your timeline?'],
        ['User', 'No rush, really, sometime next year is fine.'],
      ] },
    ],
    expected: { brandVibe: 'professional', colorPreference: 'cool', priceLevel: 'mid-market', entityType: 'corporation', stateOfOperation: 'OH', urgencyLevel: 'low', whatProblem: 'receipts', whoServes: 'contractors', howDifferent: 'receipts by text', primaryService: 'bookkeeping' },
  },
  {
    name: 'luxury bridal alterations',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What made you want to start this business? What is the problem?'],
        ['User', 'Brides wait eight weeks for alterations and the big shops treat them like a ticket number.'],
        ['AI', 'Who is it for?'],
        ['User', 'Brides in Manhattan spending over five thousand dollars on a gown.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'How is your approach different?'],
        ['User', 'Private fittings in the bride\'s own home, and a single seamstress from first fitting to the wedding day.'],
        ['AI', 'What is your core service?'],
        ['User', 'Couture gown alterations with in-home fittings.'],
        ['AI', 'What price level are you aiming for?'],
        ['User', 'High-end, luxury. Our clients expect to pay for exclusivity.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'How should your brand come across?'],
        ['User', 'Elegant and timeless, very refined.'],
        ['AI', 'Do you have a palette in mind?'],
        ['User', 'Ivory, soft blush and lots of white space. Minimal.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'Which legal structure suits you?'],
        ['User', 'A limited liability company.'],
        ['AI', 'In which state will you register?'],
        ['User', 'New York.'],
        ['AI', 'How urgent is this for you?'],
        ['User', 'Fairly, I would like to open within six months, before next wedding season.'],
      ] },
    ],
    expected: { brandVibe: 'elegant', colorPreference: 'minimal', priceLevel: 'premium', entityType: 'llc', stateOfOperation: 'NY', urgencyLevel: 'medium', whatProblem: 'alterations', whoServes: 'brides', howDifferent: 'fittings', primaryService: 'alterations' },
  },
  {
    name: 'budget meal prep for students',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What problem do you see?'],
        ['User', 'Students live on instant noodles because cooking takes time and groceries are expensive.'],
        ['AI', 'Who do you want to help?'],
        ['User', 'College students in Austin living off campus.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'What makes you different from meal kit companies?'],
        ['User', 'We cook in bulk and deliver five ready meals for the price of one takeaway, no subscriptions.'],
        ['AI', 'What will you sell?'],
        ['User', 'Weekly boxes of five ready-to-eat meals.'],
        ['AI', 'How will you price it?'],
        ['User', 'Cheap. It has to be affordable for everyone on a student budget.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'What vibe should the brand have?'],
        ['User', 'Bold and loud, a bit cheeky, like a student poster.'],
        ['AI', 'Colours?'],
        ['User', 'Neon green and hot pink, really colourful.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What kind of entity should we form?'],
        ['User', 'Just me for now, so a sole proprietorship.'],
        ['AI', 'And the state?'],
        ['User', 'Texas.'],
        ['AI', 'When would you like to launch?'],
        ['User', 'Right away, before the semester starts next month.'],
      ] },
    ],
    expected: { brandVibe: 'bold', colorPreference: 'vibrant', priceLevel: 'budget', entityType: 'sole_proprietorship', stateOfOperation: 'TX', urgencyLevel: 'high', whatProblem: 'noodles', whoServes: 'students', howDifferent: 'bulk', primaryService: 'meals' },
  },
  {
    name: 'community garden nonprofit',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What challenge are you taking on?'],
        ['User', 'Our neighbourhood has no fresh produce within two miles, it is a food desert.'],
        ['AI', 'Who will you serve?'],
        ['User', 'Families in South Side Chicago, especially kids and seniors.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'What will make your project stand out?'],
        ['User', 'Residents grow the food themselves on empty lots, and we teach cooking classes with the harvest.'],
        ['AI', 'What is the main thing you will offer?'],
        ['User', 'Free garden plots and weekly cooking classes.'],
        ['AI', 'Will you charge for anything? What price level?'],
        ['User', 'Everything is free or pay what you can, the lowest price possible, so budget.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'How should people feel when they see your brand?'],
        ['User', 'Warm, welcoming, hopeful. Like a neighbour waving over the fence.'],
        ['AI', 'Which colours come to mind?'],
        ['User', 'Leafy greens and sky blue.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What legal form would you like?'],
        ['User', 'A nonprofit, we want to apply for 501(c)(3) status and grants.'],
        ['AI', 'Which state?'],
        ['User', 'Illinois.'],
        ['AI', 'How soon do you need this done?'],
        ['User', 'Within a few months would be good, grants open in the fall, so medium urgency.'],
      ] },
    ],
    expected: { brandVibe: 'friendly', colorPreference: 'cool', priceLevel: 'budget', entityType: 'nonprofit', stateOfOperation: 'IL', urgencyLevel: 'medium', whatProblem: 'produce', whoServes: 'families', howDifferent: 'grow', primaryService: 'garden' },
  },
  {
    name: 'cybersecurity audits for clinics',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What pain point are you addressing?'],
        ['User', 'Small medical clinics get hit by ransomware and they cannot afford a full-time security team.'],
        ['AI', 'Who are your ideal customers?'],
        ['User', 'Independent clinics and dental practices with five to fifty staff.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'How are you different from big security firms?'],
        ['User', 'We do a fixed-price audit in one day on site and give a plain-English report, no jargon.'],
        ['AI', 'What exactly will you sell?'],
        ['User', 'HIPAA security audits and a monthly monitoring plan.'],
        ['AI', 'And pricing?'],
        ['User', 'Reasonably priced, competitive with local IT shops.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'What tone should your brand strike?'],
        ['User', 'Serious, credible and precise. Doctors need to trust us.'],
        ['AI', 'Any colour preferences?'],
        ['User', 'Teal and slate, clean and cool.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What business entity do you want?'],
        ['User', 'A C corp, we plan to raise money from investors.'],
        ['AI', 'Where will you incorporate?'],
        ['User', 'Delaware, although we operate from Florida.'],
        ['AI', 'How urgent is forming the company?'],
        ['User', 'Urgent, we have a first client waiting to sign this month.'],
      ] },
    ],
    expected: { brandVibe: 'professional', colorPreference: 'cool', priceLevel: 'mid-market', entityType: 'corporation', stateOfOperation: 'DE', urgencyLevel: 'high', whatProblem: 'ransomware', whoServes: 'clinics', howDifferent: 'fixed-price', primaryService: 'audits' },
  },
  {
    name: 'handmade ceramics studio',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What problem does your studio solve for people?'],
        ['User', 'Honestly, people are tired of mass-produced dishes that all look the same and chip in a year.'],
        ['AI', 'Who buys from you?'],
        ['User', 'Home cooks and small restaurants in Portland who care about craft.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'What makes your work unique?'],
        ['User', 'Every piece is thrown by hand from local clay and comes with a lifetime chip replacement.'],
        ['AI', 'What is your main product?'],
        ['User', 'Handmade stoneware dinner sets.'],
        ['AI', 'How do you price them?'],
        ['User', 'Upscale, a dinner set is around six hundred dollars.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'Describe the feel of your brand.'],
        ['User', 'Understated and sophisticated, quiet luxury.'],
        ['AI', 'What colours?'],
        ['User', 'Earthy neutrals, sand and off-white, nothing bright.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'Which structure do you want to form?'],
        ['User', 'An LLC.'],
        ['AI', 'Which state are you in?'],
        ['User', 'Oregon.'],
        ['AI', 'What is your timeline for launching?'],
        ['User', 'No hurry, I am still building stock, maybe in a year.'],
      ] },
    ],
    expected: { brandVibe: 'elegant', colorPreference: 'minimal', priceLevel: 'premium', entityType: 'llc', stateOfOperation: 'OR', urgencyLevel: 'low', whatProblem: 'mass-produced', whoServes: 'cooks', howDifferent: 'by hand', primaryService: 'stoneware' },
  },
  {
    name: 'fitness bootcamp partnership',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What is the problem you and your partner see?'],
        ['User', 'Gyms are intimidating and expensive, and people quit after two weeks.'],
        ['AI', 'Who is your audience?'],
        ['User', 'Adults over forty in Phoenix who want to get fit again.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'Why would someone choose your bootcamp?'],
        ['User', 'Outdoor sessions at sunrise in small groups, with a coach who texts you if you miss a class.'],
        ['AI', 'What will you provide, mainly?'],
        ['User', 'Outdoor group training sessions, sold as ten-class passes.'],
        ['AI', 'What is your pricing approach?'],
        ['User', 'Affordable, somewhere in the middle of the market.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'What should the brand feel like?'],
        ['User', 'Bold, powerful, a bit fierce. We want people to feel strong.'],
        ['AI', 'Colour ideas?'],
        ['User', 'Red and black, high contrast, vibrant.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What entity type would you like?'],
        ['User', 'There are two of us, so a partnership.'],
        ['AI', 'Which state?'],
        ['User', 'Arizona.'],
        ['AI', 'When do you want to launch?'],
        ['User', 'We would like to launch by the summer, so in a few months.'],
      ] },
    ],
    expected: { brandVibe: 'bold', colorPreference: 'vibrant', priceLevel: 'mid-market', entityType: 'partnership', stateOfOperation: 'AZ', urgencyLevel: 'medium', whatProblem: 'intimidating', whoServes: 'adults', howDifferent: 'outdoor', primaryService: 'training' },
  },
  {
    name: 'translation app with a hesitant founder',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What problem would you like to solve?'],
        ['User', 'Um, well, immigrant parents struggle to talk with their kids\' teachers because of the language barrier.'],
        ['AI', 'Who exactly are you serving?'],
        ['User', 'I guess parents of public school kids who speak Spanish or Vietnamese at home.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'And what would make it different from Google Translate?'],
        ['User', 'Human interpreters join a parent-teacher meeting by phone in under five minutes.'],
        ['AI', 'What is the main service?'],
        ['User', 'On-demand phone interpreting for school meetings.'],
        ['AI', 'What would it cost a school?'],
        ['User', 'Schools pay a fair price per minute, moderate, less than agencies charge.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'How do you want the brand to feel?'],
        ['User', 'Kind and approachable, but also reliable, mostly kind and caring.'],
        ['AI', 'Colours?'],
        ['User', 'Soft pastels, muted, nothing too loud.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What legal structure are you considering?'],
        ['User', 'An LLC I suppose.'],
        ['AI', 'Which state?'],
        ['User', 'California.'],
        ['AI', 'How soon do you need it?'],
        ['User', 'There is no rush, I am just exploring for now.'],
      ] },
    ],
    expected: { brandVibe: 'friendly', colorPreference: 'minimal', priceLevel: 'mid-market', entityType: 'llc', stateOfOperation: 'CA', urgencyLevel: 'low', whatProblem: 'language', whoServes: 'parents', howDifferent: 'interpreters', primaryService: 'interpreting' },
  },
  {
    name: 'specialty coffee roaster',
    calls: [
      { stage: 1, turns: [
        ['AI', 'What gap do you see in the market?'],
        ['User', 'Offices serve burnt, stale coffee and staff walk out to buy expensive lattes every afternoon.'],
        ['AI', 'Who are your clients going to be?'],
        ['User', 'Tech offices in Seattle with twenty to two hundred people.'],
      ] },
      { stage: 2, turns: [
        ['AI', 'What sets you apart from other suppliers?'],
        ['User', 'We roast to order every Monday and a barista trains the office team on the machine.'],
        ['AI', 'What do you sell, mainly?'],
        ['User', 'Fresh-roasted beans on an office subscription.'],
        ['AI', 'Price positioning?'],
        ['User', 'Premium, top of the market, it is specialty coffee.'],
      ] },
      { stage: 3, turns: [
        ['AI', 'What should the brand personality be?'],
        ['User', 'Confident and bold, a little edgy.'],
        ['AI', 'And your colours?'],
        ['User', 'Black and white, monochrome, very minimal.'],
      ] },
      { stage: 4, turns: [
        ['AI', 'What kind of business entity?'],
        ['User', 'An LLC.'],
        ['AI', 'Which state will you operate in?'],
        ['User', 'Washington state.'],
        ['AI', 'What is your timeline?'],
        ['User', 'We want to start within a month, we already have the roaster.'],
      ] },
    ],
    expected: { brandVibe: 'bold', colorPreference: 'minimal', priceLevel: 'premium', entityType: 'llc', stateOfOperation: 'WA', urgencyLevel: 'high', whatProblem: 'coffee', whoServes: 'offices', howDifferent: 'roast to order', primaryService: 'beans' },
  },
];

/** A fixture as the analysis reads it from the voice service. */
export function fixtureInput(fixture: ConsultationFixture, start = Date.parse('2026-01-05T15:00:00Z')) {
  return {
    calls: fixture.calls.map((call, index) => ({
      callSessionId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      vapiCallId: `fixture-call-${index + 1}`,
      transcriptId: `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`,
      callStage: call.stage,
      endedAt: new Date(start + index * 86_400_000).toISOString(),
      text: call.turns.map(([speaker, line]) => `${speaker}: ${line}`).join('\n'),
      turns: call.turns.map(([speaker, content]) => ({ role: speaker === 'AI' ? 'assistant' : 'user', content })),
      summary: null,
      structuredData: call.structuredData ?? null,
    })),
    assessments: [],
    facts: [],
  };
}

export const ENUM_EXPECTATIONS = ['brandVibe', 'colorPreference', 'priceLevel', 'entityType', 'stateOfOperation', 'urgencyLevel'] as const;
