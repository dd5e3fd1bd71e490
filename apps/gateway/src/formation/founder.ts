import { asc, eq } from 'drizzle-orm';
import { withFounder, withOwnerRole, type Founder } from '@dreamseed/platform';
import type { GatewayTx } from '../db/client';
import { formationCaseEvents, formationCases } from '../db/schema';
import { documentOf, documentsOf } from './documents-store';
import { missingIntake, type DreamDnaWords } from './intake';
import { intakeIn, moveLocked, noCase, renderIfChanged } from './moves';
import { FormationReports } from './reports';
import { Aftermath, lockCaseOf, type CaseActor, type CaseRow, type FormationDeps } from './store';
import { caseView, documentView, eventView } from './views';

/** Reads the founder's Dream DNA for the documents; undefined when it could not be read now. */
export type DreamDnaSource = () => Promise<DreamDnaWords | null | undefined>;

/**
 * The founder's side of the case: reads under row-level security (their own case, events and documents only), and
 * the two things they do, answering a question and completing the intake. Those change the case as the gateway
 * (founders never write the case's tables), for the founder the token names.
 */
export class FounderFormation {
  constructor(private readonly deps: FormationDeps) {}

  /** The case, what the founder must do, its timeline and current documents; 404 when the founder has none. */
  async caseOf(founder: Founder) {
    return withFounder(this.deps.db, founder, async (tx) => {
      const row = await caseIn(tx, founder);
      const missing = missingIntake(await intakeIn(tx, founder.id));
      const events = await tx.select().from(formationCaseEvents).where(eq(formationCaseEvents.caseId, row.id)).orderBy(asc(formationCaseEvents.at));
      const documents = (await documentsOf(tx, row.id)).filter((document) => !document.supersededAt);
      return { ...caseView(row, missing), events: events.map(eventView), documents: documents.map(documentView) };
    });
  }

  async documents(founder: Founder) {
    return withFounder(this.deps.db, founder, async (tx) => (await documentsOf(tx, (await caseIn(tx, founder)).id)).map(documentView));
  }

  async document(founder: Founder, documentId: string) {
    return withFounder(this.deps.db, founder, async (tx) => documentOf(tx, (await caseIn(tx, founder)).id, documentId));
  }

  /** The founder's answer to the open question: the case returns to where it was asked. */
  async answer(founder: Founder, answer: string, dreamDna: DreamDnaSource, correlationId?: string) {
    const words = await dreamDna();
    const aftermath = new Aftermath();
    const moved = await withOwnerRole(this.deps.db, 'gateway', async (tx) => {
      const row = await lockCaseOf(tx, { userId: founder.id });
      if (!row) throw noCase();
      return moveLocked(tx, this.deps, row, { kind: 'answer', evidence: { answer }, actor: founderActor(founder), dreamDna: words }, aftermath);
    });
    await aftermath.run(this.deps, correlationId);
    return moved;
  }

  /**
   * After the founder saved their formation details: a case waiting for the intake the system asked for moves on
   * once it is complete, documents being prepared follow the new details (a new version when they changed), and a
   * domain registration waiting for the registrant's address is asked.
   */
  async intakeSaved(founder: Founder, dreamDna: DreamDnaSource, correlationId?: string): Promise<void> {
    // The saved address may be what the domain's registration waited for.
    await new FormationReports(this.deps).registrantMaybeReady(founder.id, correlationId);
    const [found] = await this.deps.db.select({ state: formationCases.state }).from(formationCases).where(eq(formationCases.userId, founder.id));
    if (!found || !['needs_founder', 'documents_prepared'].includes(found.state)) return;
    const words = await dreamDna();
    const aftermath = new Aftermath();
    await withOwnerRole(this.deps.db, 'gateway', async (tx) => {
      const row = await lockCaseOf(tx, { userId: founder.id });
      if (!row) return;
      const actor = founderActor(founder);
      if (row.state === 'needs_founder' && row.questionBy === 'system') {
        if (missingIntake(await intakeIn(tx, founder.id)).length) return;
        await moveLocked(tx, this.deps, row, { kind: 'resume', evidence: {}, actor, dreamDna: words }, aftermath);
      } else if (row.state === 'documents_prepared' && words !== undefined) {
        await keepDocumentsCurrent(tx, row, actor, words, aftermath);
      }
    });
    await aftermath.run(this.deps, correlationId);
  }
}

/** Renders the documents again if the intake changed them (and is still complete); an incomplete intake keeps the last set. */
async function keepDocumentsCurrent(tx: GatewayTx, row: CaseRow, actor: CaseActor, dreamDna: DreamDnaWords | null, aftermath: Aftermath) {
  const draft = await intakeIn(tx, row.userId, dreamDna);
  if (missingIntake(draft).length === 0) await renderIfChanged(tx, row, draft, actor, null, aftermath);
}

const founderActor = (founder: Founder): CaseActor => ({ type: 'founder', id: founder.claims.sub });

async function caseIn(tx: GatewayTx, founder: Founder): Promise<CaseRow> {
  const [row] = await tx.select().from(formationCases).where(eq(formationCases.userId, founder.id));
  if (!row) throw noCase();
  return row;
}
