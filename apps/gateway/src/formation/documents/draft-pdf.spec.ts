import { readPdf } from './__fixtures__/pdf-text';
import { DraftPdf } from './draft-pdf';

const meta = { title: 'Test Draft', subject: 'A test', preparedAt: new Date('2026-05-07T12:00:00Z') };

describe('DraftPdf', () => {
  it('keeps what the standard fonts print, transliterates the rest and blanks control characters', async () => {
    const pdf = await DraftPdf.create(meta);
    expect(pdf.printable('Zoë Ångström — “Œuvre” €5 naïve façade')).toBe('Zoë Ångström — “Œuvre” €5 naïve façade');
    expect(pdf.printable('Łukasz 李小龍 Дмитрий')).toBe('Lukasz Li Xiao Long Dmitriy');
    expect(pdf.printable('tab\there\nnew line')).toBe('tab here new line');
    // What has no Latin spelling still leaves a mark, so a reader sees something was there.
    expect(pdf.printable('rocket 🚀 launch')).toBe('rocket ? launch');
  });

  it('breaks a word longer than a line rather than running off the page', async () => {
    const pdf = await DraftPdf.create(meta);
    const word = 'x'.repeat(400);
    pdf.field('Long', word);
    pdf.paragraph(`before ${word} after`);
    const { text, pages } = await readPdf(await pdf.save());
    expect(pages).toBe(1);
    expect(text.replace(/ /g, '')).toContain(`Long:${word}`);
    expect(text).toContain('before');
    expect(text).toContain('after');
  });

  it('heads every page as a draft and numbers it', async () => {
    const pdf = await DraftPdf.create(meta);
    for (let i = 0; i < 120; i++) pdf.paragraph(`Paragraph ${i}`);
    const { text, pages } = await readPdf(await pdf.save());
    expect(pages).toBeGreaterThan(1);
    expect(text.split('DRAFT — prepared by DreamSeed for review; not filed').length - 1).toBe(pages);
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Test Draft — page ${page} of ${pages}`);
    expect(text).toContain('Paragraph 119');
  });
});
