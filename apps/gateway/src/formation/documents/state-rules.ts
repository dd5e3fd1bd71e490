import type { AuthorizedShares, UsState } from './types';

/**
 * What a state's formation form asks beyond the name, which every form asks. The drafts print a section for each
 * item asked, and `missingForDocuments` asks the founder only for what the state's form needs.
 */
export type AskedItem =
  /** Name and signature of the organizer (LLC) or incorporator (corporation). */
  | 'organizer'
  /** The organizer's or incorporator's address besides the name. */
  | 'organizer_address'
  | 'registered_agent'
  /** The registered agent signs that it accepts the appointment. */
  | 'agent_acceptance'
  /** The Secretary of State is named agent for service of process, with an address to mail process to. */
  | 'secretary_of_state_as_agent'
  | 'principal_address'
  | 'mailing_address'
  /** The county of the office within the state. */
  | 'county'
  /** Whether an LLC is run by its members or by managers. */
  | 'management'
  /** Names and addresses of the managers or managing members (LLC) or initial directors (corporation). */
  | 'governing_persons'
  | 'purpose'
  | 'authorized_shares'
  | 'par_value';

export interface FormRules {
  /** The document's title as the state names it. */
  title: string;
  /** The state's own form, where it publishes one. */
  form: string | null;
  asks: readonly AskedItem[];
  /** The purpose clause to print where the form asks a purpose and accepts a general one. */
  generalPurpose: string;
  /** Where the rule comes from: a statute or form as quoted in a source consulted, or "general default". */
  source: string;
}

export interface StateFormRules {
  llc: FormRules;
  corporation: FormRules;
}

/**
 * Shares authorized when the founder has not chosen: a small count at a nominal par keeps share-based state fees at
 * their lowest where a state charges by authorized shares; the draft says the figure is a default to review.
 */
export const DEFAULT_AUTHORIZED_SHARES: AuthorizedShares = { count: 1000, parValue: 0.01 };

const lawfulPurpose = (entity: string, law: string) =>
  `The purpose of the ${entity} is to engage in any lawful act or activity for which ${entity === 'company' ? 'limited liability companies' : 'corporations'} may be organized under ${law}.`;

/** The rules for a state not in the table: what nearly every state's form asks, marked as such. */
const generalDefault = (jurisdiction: string): StateFormRules => ({
  llc: {
    title: 'Articles of Organization',
    form: null,
    asks: ['organizer', 'organizer_address', 'registered_agent', 'principal_address', 'management'],
    generalPurpose: lawfulPurpose('company', `the laws of ${jurisdiction}`),
    source: 'general default',
  },
  corporation: {
    title: 'Articles of Incorporation',
    form: null,
    asks: ['organizer', 'organizer_address', 'registered_agent', 'principal_address', 'authorized_shares', 'par_value'],
    generalPurpose: lawfulPurpose('corporation', `the laws of ${jurisdiction}`),
    source: 'general default',
  },
});

/**
 * The forms of the states where most founders form, as the statutes and the states' form instructions describe them
 * (read through public copies of the statute text and the forms' instructions; verify against the current form
 * before filing). Every other state uses `generalDefault`.
 */
export const STATE_FORM_RULES: Partial<Record<UsState, StateFormRules>> = {
  DE: {
    llc: {
      title: 'Certificate of Formation',
      form: null,
      // Name, registered office and agent; signed by an authorized person.
      asks: ['organizer', 'registered_agent'],
      generalPurpose: lawfulPurpose('company', 'the Delaware Limited Liability Company Act'),
      source: '6 Del. C. § 18-201(a)',
    },
    corporation: {
      title: 'Certificate of Incorporation',
      form: null,
      asks: ['organizer', 'organizer_address', 'registered_agent', 'purpose', 'authorized_shares', 'par_value'],
      generalPurpose: lawfulPurpose('corporation', 'the General Corporation Law of the State of Delaware'),
      source: '8 Del. C. § 102(a)(1)-(5)',
    },
  },
  CA: {
    llc: {
      title: 'Articles of Organization',
      form: 'Form LLC-1',
      // Designated office and mailing address, agent for service of process (an individual in California or a
      // registered corporate agent), who manages (one manager, more than one, or all members), organizer signs.
      asks: ['organizer', 'registered_agent', 'principal_address', 'mailing_address', 'management', 'purpose'],
      generalPurpose:
        'The purpose of the limited liability company is to engage in any lawful act or activity for which a limited liability company may be organized under the California Revised Uniform Limited Liability Company Act.',
      source: 'California Secretary of State, Form LLC-1 and its instructions',
    },
    corporation: {
      title: 'Articles of Incorporation',
      form: 'Form ARTS-GS',
      // California shares carry no par value in the articles; the purpose clause is the statutory wording.
      asks: ['organizer', 'registered_agent', 'principal_address', 'mailing_address', 'purpose', 'authorized_shares'],
      generalPurpose:
        'The purpose of the corporation is to engage in any lawful act or activity for which a corporation may be organized under the General Corporation Law of California other than the banking business, the trust company business or the practice of a profession permitted to be incorporated by the California Corporations Code.',
      source: 'Cal. Corp. Code §§ 200-202; California Secretary of State, Form ARTS-GS instructions',
    },
  },
  NY: {
    llc: {
      title: 'Articles of Organization',
      form: 'DOS-1336',
      // The county of the office, the Secretary of State as agent with an address to mail process, a registered
      // agent only if the company has one, and a statement if managers manage.
      asks: ['organizer', 'county', 'secretary_of_state_as_agent', 'management'],
      generalPurpose: lawfulPurpose('company', 'the New York Limited Liability Company Law'),
      source: 'N.Y. Ltd. Liab. Co. Law § 203; DOS-1336 instructions',
    },
    corporation: {
      title: 'Certificate of Incorporation',
      form: null,
      asks: ['organizer', 'organizer_address', 'county', 'secretary_of_state_as_agent', 'purpose', 'authorized_shares', 'par_value'],
      generalPurpose:
        'The purpose of the corporation is to engage in any lawful act or activity for which corporations may be organized under the Business Corporation Law, provided that it is not formed to engage in any act or activity requiring the consent or approval of any state official, department, board, agency or other body without such consent or approval first being obtained.',
      source: 'N.Y. Bus. Corp. Law § 402(a)',
    },
  },
  TX: {
    llc: {
      title: 'Certificate of Formation',
      form: 'Form 205',
      // Governing authority: managers or members, with the name and address of each; a pre-printed general purpose.
      asks: ['organizer', 'organizer_address', 'registered_agent', 'management', 'governing_persons', 'purpose'],
      generalPurpose:
        'The purpose for which the company is organized is for the transaction of any and all lawful business for which limited liability companies may be organized under the Texas Business Organizations Code.',
      source: 'Tex. Bus. Orgs. Code § 3.005; Texas Secretary of State, Form 205 instructions',
    },
    corporation: {
      title: 'Certificate of Formation',
      form: 'Form 201',
      asks: ['organizer', 'organizer_address', 'registered_agent', 'governing_persons', 'purpose', 'authorized_shares', 'par_value'],
      generalPurpose:
        'The purpose for which the corporation is organized is for the transaction of any and all lawful business for which corporations may be organized under the Texas Business Organizations Code.',
      source: 'Tex. Bus. Orgs. Code §§ 3.005, 3.007(a); Texas Secretary of State, Form 201 instructions',
    },
  },
  FL: {
    llc: {
      title: 'Articles of Organization',
      form: null,
      // Principal office street and mailing address, registered agent with written acceptance; the state's form also
      // lists managers (MGR) or managing members (MGRM).
      asks: ['organizer', 'registered_agent', 'agent_acceptance', 'principal_address', 'mailing_address', 'management', 'governing_persons'],
      generalPurpose: lawfulPurpose('company', 'the Florida Revised Limited Liability Company Act'),
      source: 'Fla. Stat. § 605.0201; Florida Division of Corporations, Articles of Organization instructions',
    },
    corporation: {
      title: 'Articles of Incorporation',
      form: null,
      asks: ['organizer', 'organizer_address', 'registered_agent', 'agent_acceptance', 'principal_address', 'mailing_address', 'authorized_shares'],
      generalPurpose: lawfulPurpose('corporation', 'the Florida Business Corporation Act'),
      source: 'Fla. Stat. § 607.0202(1)',
    },
  },
  WA: {
    llc: {
      title: 'Certificate of Formation',
      form: null,
      asks: ['organizer', 'organizer_address', 'registered_agent', 'principal_address', 'management'],
      generalPurpose: lawfulPurpose('company', 'the Washington Limited Liability Company Act'),
      source: 'RCW 25.15 (certificate of formation contents, as in former RCW 25.15.070(1))',
    },
    corporation: {
      title: 'Articles of Incorporation',
      form: null,
      asks: ['organizer', 'organizer_address', 'registered_agent', 'authorized_shares'],
      generalPurpose: lawfulPurpose('corporation', 'the Washington Business Corporation Act'),
      source: 'RCW 23B.02.020(1)',
    },
  },
};

export const STATE_NAMES: Record<UsState, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'the District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VT: 'Vermont',
  VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
};

/** The state's name as a document prints it: "the State of Texas", "the District of Columbia". */
export const jurisdictionName = (state: UsState) => (state === 'DC' ? STATE_NAMES.DC : `the State of ${STATE_NAMES[state]}`);

export function formRulesFor(state: UsState, entityType: 'llc' | 'corporation'): FormRules {
  return (STATE_FORM_RULES[state] ?? generalDefault(jurisdictionName(state)))[entityType];
}

export const asks = (rules: FormRules, item: AskedItem) => rules.asks.includes(item);
