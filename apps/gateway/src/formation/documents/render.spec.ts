import { address, corporationInput, llcInput } from './__fixtures__/inputs';
import { readPdf } from './__fixtures__/pdf-text';
import { FormationDocumentsIncomplete, renderFormationDocuments, type FormationDocumentInput, type FormationDocumentKind, type UsState } from './index';

async function textOf(input: FormationDocumentInput): Promise<Record<string, string>> {
  const docs = await renderFormationDocuments(input);
  const texts = await Promise.all(docs.map(async (doc) => [doc.kind, (await readPdf(doc.bytes)).text] as const));
  return Object.fromEntries(texts);
}

describe('renderFormationDocuments', () => {
  it('makes an LLC\'s articles and operating agreement, named and hashed', async () => {
    const docs = await renderFormationDocuments(llcInput());
    expect(docs.map(({ kind, filename, contentType }) => ({ kind, filename, contentType }))).toEqual([
      { kind: 'articles_of_organization', filename: 'ada-bakes-llc-articles-of-organization.pdf', contentType: 'application/pdf' },
      { kind: 'operating_agreement', filename: 'ada-bakes-llc-operating-agreement.pdf', contentType: 'application/pdf' },
    ]);
    for (const doc of docs) {
      expect(Buffer.from(doc.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('prints the founder\'s data in the LLC\'s articles', async () => {
    const { articles_of_organization: text } = await textOf(llcInput());
    for (const expected of [
      'DRAFT — prepared by DreamSeed for review; not filed',
      'Certificate of Formation',
      'Ada Bakes LLC, a Texas limited liability company',
      'the State of Texas',
      "Form 205",
      'registered agent is Lone Star Agents Inc.',
      '500 Lavaca St, Austin, TX 78701',
      'managed by its members',
      'Ada Baker (member)',
      'Bo Crumb (member)',
      'any and all lawful business',
      'baking and selling sourdough bread to cafés',
      'The name and address of the organizer: Ada Baker',
      'Organizer',
      'May 7, 2026',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints members, shares, management, purpose and the Dream DNA in the operating agreement', async () => {
    const { operating_agreement: text } = await textOf(llcInput());
    for (const expected of [
      'Operating Agreement',
      'Ada Baker — member — 60% ownership',
      'Bo Crumb — member — 40% ownership',
      'The Company is managed by its members',
      "The Company's purpose is baking and selling sourdough bread to cafés",
      'to offer fresh sourdough to cafés in East Austin',
      'no fresh bread nearby',
      'may also do business as Ada Bakes',
      'Registered agent: Lone Star Agents Inc.',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('names the managers of a manager-managed LLC, and lets a manager sign without a share', async () => {
    const input = llcInput({
      managementStructure: 'manager_managed',
      members: [{ name: 'Ada Baker', ownershipPercent: 100, role: 'member' }, { name: 'Cy Hired', role: 'manager' }],
    });
    const texts = await textOf(input);
    expect(texts.articles_of_organization).toContain('managed by one manager: Cy Hired');
    expect(texts.articles_of_organization).toMatch(/Managers .*Cy Hired \(manager\)/);
    expect(texts.operating_agreement).toContain('managed by its manager: Cy Hired');
  });

  it('makes a corporation\'s articles and bylaws with its shares, directors and incorporator', async () => {
    const docs = await renderFormationDocuments(corporationInput());
    expect(docs.map((d) => d.kind)).toEqual<FormationDocumentKind[]>(['articles_of_incorporation', 'bylaws']);
    expect(docs.map((d) => d.filename)).toEqual(['orbit-labs-inc-articles-of-incorporation.pdf', 'orbit-labs-inc-bylaws.pdf']);
    const [articles, bylaws] = await Promise.all(docs.map(async (d) => (await readPdf(d.bytes)).text));
    for (const expected of [
      'Certificate of Incorporation',
      'Orbit Labs Inc., a Delaware corporation',
      'General Corporation Law of the State of Delaware',
      'software for small bakeries',
      'First State Agents LLC',
      '8 The Green, Dover, DE 19901',
      '10,000,000 shares of common stock, par value $0.00001 per share',
      'The name and address of the incorporator: Grace Orbit',
      'Incorporator',
    ]) {
      expect(articles).toContain(expected);
    }
    expect(articles).not.toContain('DreamSeed\'s default');
    for (const expected of ['Bylaws', 'The board has 2 directors', 'Grace Orbit', 'Linus Field', 'Grace Orbit — CEO and director', 'Grace Orbit — CEO and director — 70% ownership', '1 Market St, San Francisco, CA 94105']) {
      expect(bylaws).toContain(expected);
    }
  });

  it('says when the authorized shares are the default', async () => {
    const { articles_of_incorporation: text } = await textOf(corporationInput({ authorizedShares: null }));
    expect(text).toContain('1,000 shares of common stock, par value $0.01 per share');
    expect(text).toContain('DreamSeed\'s default');
  });

  it('refuses an input that lacks what the documents need, listing it', async () => {
    const render = renderFormationDocuments(llcInput({ registeredAgent: null }));
    await expect(render).rejects.toBeInstanceOf(FormationDocumentsIncomplete);
    await expect(render).rejects.toMatchObject({ missing: [{ field: 'registered_agent' }] });
  });

  describe('per state', () => {
    const llcIn = (state: UsState, overrides: Partial<FormationDocumentInput> = {}) =>
      llcInput({ stateOfFormation: state, principalAddress: address(state), registeredAgent: { name: 'Local Agent', address: address(state, '2 Agent Way') }, ...overrides });
    const corpIn = (state: UsState, overrides: Partial<FormationDocumentInput> = {}) =>
      corporationInput({ stateOfFormation: state, registeredAgent: { name: 'Local Agent', address: address(state, '2 Agent Way') }, ...overrides });

    it.each<[UsState, string, string[], string[]]>([
      ['DE', 'Certificate of Formation', ['6 Del. C. § 18-201', 'Authorized Person'], ['Principal office', 'Management']],
      ['CA', 'Articles of Organization', ['Form LLC-1', 'Mailing address: Same as the principal office', 'managed by its members', 'California Revised Uniform Limited Liability Company Act'], []],
      ['NY', 'Articles of Organization', ['DOS-1336', 'The county within New York in which the office of the company is to be located is Kings', 'The Secretary of State is designated as agent'], []],
      ['TX', 'Certificate of Formation', ['Form 205', 'Managing Members'], []],
      ['FL', 'Articles of Organization', ['Acceptance of appointment: I, Local Agent', 'Registered Agent', 'Managing Members'], []],
      ['WA', 'Certificate of Formation', ['Principal office', 'RCW 25.15'], []],
      ['OH', 'Articles of Organization', ['general default', 'the State of Ohio'], []],
    ])('titles and asks an LLC\'s articles in %s as its form does', async (state, title, present, absent) => {
      const { articles_of_organization: text } = await textOf(llcIn(state, state === 'NY' ? { county: 'Kings' } : {}));
      expect(text).toContain(`${title} of Ada Bakes LLC`);
      for (const expected of present) expect(text).toContain(expected);
      for (const unexpected of absent) expect(text).not.toContain(unexpected);
    });

    it.each<[UsState, string, string[], string[]]>([
      ['DE', 'Certificate of Incorporation', ['par value $0.00001', 'Incorporator'], ['Principal office']],
      ['CA', 'Articles of Incorporation', ['Form ARTS-GS', '10,000,000 shares of common stock.', 'other than the banking business'], ['par value']],
      ['NY', 'Certificate of Incorporation', ['to be located is New York', 'par value $0.00001', 'requiring the consent or approval of any state official'], []],
      ['TX', 'Certificate of Formation', ['Form 201', 'Initial Board of Directors', 'Linus Field (director)'], []],
      ['FL', 'Articles of Incorporation', ['Acceptance of appointment', 'Principal office'], ['par value']],
      ['WA', 'Articles of Incorporation', ['RCW 23B.02.020', 'Incorporator'], ['par value']],
      ['OH', 'Articles of Incorporation', ['general default', 'par value'], []],
    ])('titles and asks a corporation\'s articles in %s as its form does', async (state, title, present, absent) => {
      const { articles_of_incorporation: text } = await textOf(corpIn(state, state === 'NY' ? { county: 'New York' } : {}));
      expect(text).toContain(`${title} of Orbit Labs Inc.`);
      for (const expected of present) expect(text).toContain(expected);
      for (const unexpected of absent) expect(text).not.toContain(unexpected);
    });
  });

  describe('the PDF bytes', () => {
    it('are the same for the same input and preparation time, whatever the key order', async () => {
      const input = llcInput();
      const reordered = Object.fromEntries(Object.entries(input).reverse()) as FormationDocumentInput;
      const [first, again, shuffled] = await Promise.all([input, llcInput(), reordered].map(renderFormationDocuments));
      expect(again.map((d) => d.sha256)).toEqual(first.map((d) => d.sha256));
      expect(shuffled.map((d) => d.sha256)).toEqual(first.map((d) => d.sha256));
      expect(Buffer.compare(Buffer.from(again[0].bytes), Buffer.from(first[0].bytes))).toBe(0);
    });

    it('carry the preparation time as the PDF\'s dates, and change with it', async () => {
      const [first] = await renderFormationDocuments(llcInput());
      const [later] = await renderFormationDocuments(llcInput({ preparedAt: new Date('2026-06-01T09:30:00Z') }));
      expect(later.sha256).not.toBe(first.sha256);
      expect(Buffer.from(first.bytes).toString('latin1')).toContain('/CreationDate (D:20260507120000Z)');
      expect(Buffer.from(later.bytes).toString('latin1')).toContain('/ModDate (D:20260601093000Z)');
    });

    it('change when an input changes', async () => {
      const [first] = await renderFormationDocuments(llcInput());
      const [renamed] = await renderFormationDocuments(llcInput({ legalName: 'Ada Bakes Two LLC' }));
      expect(renamed.sha256).not.toBe(first.sha256);
    });
  });

  it('renders names outside the standard fonts\' characters, spelled in Latin letters and flagged', async () => {
    const name = 'Zoë Ångström Łukasz 李';
    const input = llcInput({
      legalName: `${name} LLC`,
      members: [{ name, ownershipPercent: 100, role: 'member' }],
      organizer: { name },
      registeredAgent: { name: 'Дмитрий Агент', address: address('TX', '2 Agent Way') },
    });
    const docs = await renderFormationDocuments(input);
    expect(docs[0].filename).toBe('zoe-angstrom-lukasz-li-llc-articles-of-organization.pdf');
    const { text, title } = await readPdf(docs[0].bytes);
    expect(title).toBe('Certificate of Formation of Zoë Ångström Lukasz Li LLC');
    expect(text).toContain('The name of the company is Zoë Ångström Lukasz Li LLC.');
    expect(text).toContain('registered agent is Dmitriy Agent');
    expect(text).toContain('spelled here in Latin letters');
    expect((await readPdf(docs[1].bytes)).text).toContain('Zoë Ångström Lukasz Li — member — 100% ownership');
  });

  it('wraps long text and runs onto as many pages as it needs', async () => {
    const purpose = Array.from({ length: 150 }, (_, i) => `activity${i}`).join(' ');
    const members = Array.from({ length: 40 }, (_, i) => ({ name: `Member Number ${i + 1}`, ownershipPercent: 2.5, role: 'member' }));
    const docs = await renderFormationDocuments(llcInput({ businessPurpose: purpose, members, organizer: { name: 'Member Number 1' } }));
    const agreement = await readPdf(docs[1].bytes);
    expect(agreement.pages).toBeGreaterThan(3);
    expect(agreement.text).toContain('activity0 activity1');
    expect(agreement.text).toContain('activity149');
    expect(agreement.text).toContain('Member Number 40 — member — 2.5% ownership');
    expect(agreement.text).toContain(`page ${agreement.pages} of ${agreement.pages}`);
  });
});
