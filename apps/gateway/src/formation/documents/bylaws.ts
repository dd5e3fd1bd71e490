import { DraftPdf } from './draft-pdf';
import { directorsOf } from './input';
import { asks, formRulesFor, jurisdictionName } from './state-rules';
import type { FormationDocumentInput } from './types';
import { businessInWords, entityPhrase, longDate, memberLine, missionSentence, namesIn, oneLineAddress, sharesOf, sharesPhrase } from './wording';

/** The corporation's bylaws: offices, shareholders, the board, officers and shares; adopted by the initial directors. */
export async function renderBylaws(input: FormationDocumentInput): Promise<Uint8Array> {
  const rules = formRulesFor(input.stateOfFormation, 'corporation');
  const pdf = await DraftPdf.create({
    title: `Bylaws of ${input.legalName}`,
    subject: `Bylaws for ${entityPhrase(input)}, prepared for review`,
    preparedAt: input.preparedAt,
  });
  const directors = directorsOf(input.members);
  const officers = input.members.filter((m) => m.role && !/^\s*director\s*$/i.test(m.role));
  const shareholders = input.members.filter((m) => (m.ownershipPercent ?? 0) > 0);
  const { shares } = sharesOf(input);

  pdf.title('Bylaws', `of ${input.legalName}, ${entityPhrase(input)}`);
  pdf.spellingNote(namesIn(input));
  pdf.paragraph(`Prepared ${longDate(input.preparedAt)} for adoption by the initial board of directors of ${input.legalName} (the "Corporation").`);

  pdf.heading('Article I. Offices and Purpose');
  pdf.paragraph(`The Corporation is incorporated under the laws of ${jurisdictionName(input.stateOfFormation)} by its ${rules.title}.`);
  pdf.field('Principal office', oneLineAddress(input.principalAddress));
  if (input.registeredAgent) pdf.field('Registered agent', `${input.registeredAgent.name}, ${oneLineAddress(input.registeredAgent.address)}`);
  if (input.dbaName) pdf.field('Also doing business as', input.dbaName);
  const business = businessInWords(input);
  pdf.paragraph(business ? `The Corporation's business is ${business}, and any other lawful business the board decides to carry on.` : rules.generalPurpose);
  const mission = missionSentence(input);
  if (mission) pdf.paragraph(mission);

  pdf.heading('Article II. Shareholders');
  pdf.paragraph('An annual meeting of shareholders elects the directors and transacts any other proper business, at a time and place the board sets. The board, the president, or holders of at least one tenth of the shares entitled to vote may call a special meeting. Written notice of each meeting goes to every shareholder entitled to vote at least ten and at most sixty days before it.');
  pdf.paragraph('Holders of a majority of the shares entitled to vote, present in person or by proxy, are a quorum. Each share has one vote. Unless the law or the articles require more, the votes of a majority of the shares present decide. Any action may be taken without a meeting by written consent of the holders of all the shares entitled to vote.');
  if (shareholders.length > 0) {
    pdf.paragraph('Initial shareholders, as the founders intend (to be confirmed when shares are issued):');
    shareholders.forEach((m) => pdf.bullet(memberLine(m)));
  }

  pdf.heading('Article III. Board of Directors');
  pdf.paragraph(`The business of the Corporation is managed by its board of directors. The board has ${directors.length} ${directors.length === 1 ? 'director' : 'directors'}, a number the board may change by resolution. The initial directors serve until the first annual meeting of shareholders and until their successors are elected:`);
  directors.forEach((m) => pdf.bullet(m.name));
  pdf.paragraph('A majority of the directors in office is a quorum, and the vote of a majority of the directors present at a meeting with a quorum is the act of the board. Any action may be taken without a meeting if all directors consent in writing. A vacancy may be filled by the remaining directors.');

  pdf.heading('Article IV. Officers');
  pdf.paragraph('The board appoints a president, a secretary and a treasurer, and may appoint other officers. One person may hold more than one office. Officers serve at the pleasure of the board and have the duties their titles usually carry and the board assigns.');
  if (officers.length > 0) {
    pdf.paragraph('Roles the founders have named:');
    officers.forEach((m) => pdf.bullet(`${m.name} — ${m.role}`));
  }

  pdf.heading('Article V. Shares');
  pdf.paragraph(`The Corporation may issue up to ${sharesPhrase(shares, asks(rules, 'par_value') || shares.parValue !== null)}, as its articles authorize, for the consideration the board decides. Shares may be certificated or uncertificated; the secretary keeps the share register.`);

  pdf.heading('Article VI. Indemnification');
  pdf.paragraph('The Corporation indemnifies its directors and officers to the fullest extent the law allows against expenses and liabilities arising from their service.');

  pdf.heading('Article VII. Fiscal Year, Records and Amendments');
  pdf.paragraph('The fiscal year is the calendar year unless the board decides otherwise. The Corporation keeps its books, minutes and share register at its principal office. The board or the shareholders may amend or repeal these bylaws.');

  pdf.heading('Adoption');
  pdf.paragraph('The initial directors adopt these bylaws by signing below.');
  directors.forEach((m) => pdf.signature(m.name, 'Director'));
  return pdf.save();
}
