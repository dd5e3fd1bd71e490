import { DraftPdf } from './draft-pdf';
import { managersOf } from './input';
import { formRulesFor, jurisdictionName } from './state-rules';
import type { FormationDocumentInput } from './types';
import { addressOf, businessInWords, endSentence, entityPhrase, longDate, memberLine, missionSentence, namesIn, oneLineAddress } from './wording';

/** The LLC's operating agreement: members, shares, who decides what, and how interests move; signed by every member. */
export async function renderOperatingAgreement(input: FormationDocumentInput): Promise<Uint8Array> {
  const rules = formRulesFor(input.stateOfFormation, 'llc');
  const jurisdiction = jurisdictionName(input.stateOfFormation);
  const pdf = await DraftPdf.create({
    title: `Operating Agreement of ${input.legalName}`,
    subject: `Operating agreement for ${entityPhrase(input)}, prepared for review`,
    preparedAt: input.preparedAt,
  });
  const single = input.members.length === 1;
  const owners = input.members.filter((m) => (m.ownershipPercent ?? 0) > 0);

  pdf.title(single ? 'Single-Member Operating Agreement' : 'Operating Agreement', `of ${input.legalName}, ${entityPhrase(input)}`);
  pdf.spellingNote(namesIn(input));
  pdf.paragraph(`This operating agreement, prepared ${longDate(input.preparedAt)}, is made by the member${single ? '' : 's'} named below to govern ${input.legalName} (the "Company").`);

  pdf.heading('1. Formation and Name');
  pdf.paragraph(`The Company is formed under the laws of ${jurisdiction} by filing its ${rules.title} with the state. Its name is ${endSentence(input.legalName)}`);
  if (input.dbaName) pdf.paragraph(`The Company may also do business as ${input.dbaName}, once that name is registered where the law requires.`);
  pdf.field('Principal office', oneLineAddress(input.principalAddress));
  if (input.mailingAddress) pdf.field('Mailing address', oneLineAddress(input.mailingAddress));
  if (input.registeredAgent) pdf.field('Registered agent', `${input.registeredAgent.name}, ${oneLineAddress(input.registeredAgent.address)}`);

  pdf.heading('2. Purpose');
  const business = businessInWords(input);
  pdf.paragraph(business ? `The Company's purpose is ${business}, and any other lawful business the members decide to carry on.` : rules.generalPurpose);
  const mission = missionSentence(input);
  if (mission) pdf.paragraph(mission);

  pdf.heading('3. Members and Ownership');
  pdf.paragraph(`The member${single ? '' : 's'} of the Company and ${single ? 'its' : 'their'} ownership percentages:`);
  input.members.forEach((member) => pdf.bullet(`${memberLine(member)}; ${addressOf(input, member.address)}`));
  pdf.paragraph('Each member\'s share of profits, losses and distributions, and each member\'s vote, is in proportion to that member\'s ownership percentage.');

  pdf.heading('4. Management');
  if (input.managementStructure === 'manager_managed') {
    const managers = managersOf(input.members).map((m) => m.name).join(', ');
    pdf.paragraph(`The Company is managed by its manager${managersOf(input.members).length === 1 ? '' : 's'}: ${managers}. The managers run the day-to-day business; the members elect and may remove managers by a vote of members holding a majority of the ownership percentages.`);
  } else {
    pdf.paragraph(`The Company is managed by its members. ${single ? 'The member decides' : 'The members decide'} the Company's business; each member may act for the Company in the ordinary course of business.`);
  }
  if (!single) {
    pdf.paragraph('Decisions need the approval of members holding a majority of the ownership percentages, except that amending this agreement, admitting a new member, selling all or nearly all of the Company\'s assets, or dissolving the Company needs the approval of all members.');
  }

  pdf.heading('5. Capital Contributions');
  pdf.paragraph('Each member contributes the money, property or services recorded in the Company\'s books. No member must contribute more without agreeing to do so in writing. No interest is paid on contributions.');

  pdf.heading('6. Distributions');
  pdf.paragraph(`Distributions are made at the times and in the amounts the ${input.managementStructure === 'manager_managed' ? 'managers' : 'members'} decide, to the members in proportion to their ownership percentages, and never when the Company could not then pay its debts as they come due.`);

  pdf.heading('7. Transfers of Interests');
  pdf.paragraph(single ? 'The member may transfer all or part of the member\'s interest; a transferee becomes a member when admitted in writing.' : 'No member may transfer an interest in the Company without the written consent of the other members. A transferee becomes a member only when admitted by all members.');

  pdf.heading('8. Limited Liability and Records');
  pdf.paragraph('No member or manager is personally liable for the Company\'s debts, obligations or liabilities only because of being a member or manager. The Company keeps its funds separate from any member\'s, and keeps its books and records at its principal office, open to every member.');

  pdf.heading('9. Dissolution');
  pdf.paragraph('The Company dissolves when all members so decide in writing, or as the law requires. It then pays its debts and distributes what remains to the members in proportion to their ownership percentages.');

  pdf.heading('Signatures');
  pdf.paragraph(`Each member signs to agree to this operating agreement.${owners.length < input.members.length ? ' Managers who are not members sign to accept their appointment.' : ''}`);
  input.members.forEach((member) => {
    const owns = (member.ownershipPercent ?? 0) > 0;
    pdf.signature(member.name, owns ? `Member${member.role ? ` (${member.role})` : ''}` : (member.role ?? 'Manager'));
  });
  return pdf.save();
}
