import { DraftPdf } from './draft-pdf';
import { directorsOf, managersOf } from './input';
import { STATE_NAMES, asks, formRulesFor, jurisdictionName, type FormRules } from './state-rules';
import type { FormationDocumentInput, FormationMember } from './types';
import { addressOf, businessInWords, endSentence, entityNoun, entityPhrase, longDate, namesIn, oneLineAddress, sharesOf, sharesPhrase } from './wording';

/**
 * The articles a state files: Articles or Certificate of Organization or Formation (LLC), of Incorporation or
 * Formation (corporation). Prints an article for each item the state's form asks, in the form's usual order.
 */
export async function renderArticles(input: FormationDocumentInput): Promise<Uint8Array> {
  const rules = formRulesFor(input.stateOfFormation, input.entityType);
  const pdf = await DraftPdf.create({
    title: `${rules.title} of ${input.legalName}`,
    subject: `${rules.title} for ${entityPhrase(input)}, prepared for review`,
    preparedAt: input.preparedAt,
  });
  const statute = input.entityType === 'llc' ? 'limited liability company' : 'corporation';
  pdf.title(rules.title, `of ${input.legalName}, ${entityPhrase(input)}`);
  pdf.spellingNote(namesIn(input));
  pdf.paragraph(
    `Prepared ${longDate(input.preparedAt)} for filing with ${jurisdictionName(input.stateOfFormation)}` +
      `${rules.form ? `, following the state's ${rules.form}` : ''}. The undersigned, to form a ${statute}, sets forth:`,
  );

  const articles = articleSections(input, rules);
  articles.forEach(([heading, write], i) => {
    pdf.heading(`Article ${i + 1}. ${heading}`);
    write(pdf);
  });

  signatures(pdf, input, rules);
  pdf.gap(6);
  pdf.paragraph(`What this draft includes follows what ${STATE_NAMES[input.stateOfFormation]}'s form asks (${rules.source}). Check it against the state's current form before filing.`, { muted: true });
  return pdf.save();
}

type Section = [heading: string, write: (pdf: DraftPdf) => void];

function articleSections(input: FormationDocumentInput, rules: FormRules): Section[] {
  const noun = entityNoun(input);
  const state = STATE_NAMES[input.stateOfFormation];
  const sections: Section[] = [['Name', (pdf) => pdf.paragraph(`The name of the ${noun} is ${endSentence(input.legalName)}`)]];

  if (asks(rules, 'purpose')) {
    sections.push(['Purpose', (pdf) => {
      pdf.paragraph(rules.generalPurpose);
      const business = businessInWords(input);
      if (business) pdf.paragraph(`The business the ${noun} intends to carry on: ${business}`);
    }]);
  }
  if (asks(rules, 'county')) {
    sections.push(['County', (pdf) => pdf.paragraph(`The county within ${state} in which the office of the ${noun} is to be located is ${input.county ?? ''}.`)]);
  }
  if (asks(rules, 'principal_address') || asks(rules, 'mailing_address')) {
    sections.push(['Addresses', (pdf) => {
      pdf.field('Principal office (street address)', oneLineAddress(input.principalAddress));
      if (asks(rules, 'mailing_address')) pdf.field('Mailing address', input.mailingAddress ? oneLineAddress(input.mailingAddress) : 'Same as the principal office');
    }]);
  }
  if (asks(rules, 'secretary_of_state_as_agent')) {
    sections.push(['Service of Process', (pdf) => {
      const mailTo = input.mailingAddress ?? input.principalAddress;
      pdf.paragraph(`The Secretary of State is designated as agent of the ${noun} upon whom process against it may be served. The post office address to which the Secretary of State shall mail a copy of any process against the ${noun} served upon the Secretary of State is: ${input.legalName}, ${oneLineAddress(mailTo)}.`);
    }]);
  }
  if (input.registeredAgent && (asks(rules, 'registered_agent') || asks(rules, 'secretary_of_state_as_agent'))) {
    const agent = input.registeredAgent;
    sections.push(['Registered Agent', (pdf) => {
      pdf.paragraph(`The name of the ${noun}'s registered agent is ${agent.name}, and the street address of its registered office in ${state} is ${oneLineAddress(agent.address)}.`);
      if (agent.commercial) pdf.paragraph('The registered agent is a commercial registered agent.', { muted: true });
    }]);
  }
  if (input.entityType === 'llc' && asks(rules, 'management')) {
    sections.push(['Management', (pdf) => pdf.paragraph(managementClause(input))]);
  }
  if (asks(rules, 'governing_persons')) {
    const [heading, people] = governingPersons(input);
    sections.push([heading, (pdf) => people.forEach((person) => pdf.bullet(`${person.name}${person.role ? ` (${person.role})` : ''} — ${addressOf(input, person.address)}`))]);
  }
  if (input.entityType === 'corporation' && asks(rules, 'authorized_shares')) {
    const { shares, isDefault } = sharesOf(input);
    sections.push(['Authorized Shares', (pdf) => {
      pdf.paragraph(`The total number of shares the corporation is authorized to issue is ${sharesPhrase(shares, asks(rules, 'par_value'))}.`);
      if (isDefault) pdf.paragraph('The founder has not chosen the number of shares: this figure is DreamSeed\'s default for the draft. Review it before filing.', { muted: true });
    }]);
  }
  if (asks(rules, 'organizer_address')) {
    const role = input.entityType === 'llc' ? 'organizer' : 'incorporator';
    sections.push([input.entityType === 'llc' ? 'Organizer' : 'Incorporator', (pdf) => pdf.paragraph(`The name and address of the ${role}: ${input.organizer.name}, ${addressOf(input, input.organizer.address)}.`)]);
  }
  return sections;
}

function managementClause(input: FormationDocumentInput): string {
  if (input.managementStructure !== 'manager_managed') return 'The company will be managed by its members. It has no managers.';
  const managers = managersOf(input.members);
  return `The company will be managed by ${managers.length === 1 ? 'one manager' : 'more than one manager'}: ${managers.map((m) => m.name).join(', ')}.`;
}

/** Who governs: an LLC's managers or managing members, a corporation's initial directors. */
function governingPersons(input: FormationDocumentInput): [string, FormationMember[]] {
  if (input.entityType === 'corporation') return ['Initial Board of Directors', directorsOf(input.members)];
  if (input.managementStructure === 'manager_managed') return ['Managers', managersOf(input.members)];
  return ['Managing Members', input.members.filter((m) => (m.ownershipPercent ?? 0) > 0)];
}

function signatures(pdf: DraftPdf, input: FormationDocumentInput, rules: FormRules) {
  const role = input.entityType === 'llc' ? (input.stateOfFormation === 'DE' ? 'Authorized Person' : 'Organizer') : 'Incorporator';
  pdf.heading('Signatures');
  pdf.paragraph(`Signed by the ${role.toLowerCase()} on the date below.`);
  pdf.signature(input.organizer.name, role);
  if (asks(rules, 'agent_acceptance') && input.registeredAgent) {
    pdf.paragraph(`Acceptance of appointment: I, ${input.registeredAgent.name}, accept the appointment as registered agent of ${input.legalName}, and am familiar with and accept the obligations of that position.`);
    pdf.signature(input.registeredAgent.name, 'Registered Agent');
  }
}
