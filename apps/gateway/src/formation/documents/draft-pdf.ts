import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { transliterate } from 'transliteration';

/**
 * A plain, paginated PDF writer for the formation drafts: a title, sections, wrapped paragraphs, labelled fields and
 * signature lines on US Letter pages, each page headed as a draft and numbered. Standard fonts only (nothing to
 * download), so text is limited to their WinAnsi encoding: anything outside it is transliterated ("李" → "Li") rather
 * than failing the render.
 */
const PAGE = { width: 612, height: 792, margin: 72 };
const HEADER = 'DRAFT — prepared by DreamSeed for review; not filed';
const SIZE = { title: 18, subtitle: 12, heading: 12, body: 10.5, small: 8.5 };
const LEADING = 1.45;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.4, 0.4, 0.4);
const DRAFT_RED = rgb(0.7, 0.1, 0.1);

export interface DraftMeta {
  /** The document's title, also its PDF title and page footers. */
  title: string;
  subject: string;
  /** Set as the PDF's creation and modification dates, so equal inputs give equal bytes. */
  preparedAt: Date;
}

export class DraftPdf {
  private page!: PDFPage;
  private y = 0;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly meta: DraftMeta,
    private readonly encodable: ReadonlySet<number>,
  ) {
    this.newPage();
  }

  static async create(meta: DraftMeta): Promise<DraftPdf> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    // Helvetica and Helvetica-Bold share the WinAnsi character set.
    const writer = new DraftPdf(doc, regular, bold, meta, new Set(regular.getCharacterSet()));
    doc.setTitle(writer.printable(meta.title));
    doc.setSubject(writer.printable(meta.subject));
    doc.setCreator('DreamSeed');
    doc.setProducer('DreamSeed');
    doc.setCreationDate(meta.preparedAt);
    doc.setModificationDate(meta.preparedAt);
    return writer;
  }

  /** Text the standard fonts can draw: control characters become spaces, characters outside WinAnsi are transliterated. */
  printable(text: string): string {
    let out = '';
    let foreign = '';
    const flush = () => {
      if (foreign) out += transliterate(foreign).replace(/[^\x20-\x7e]/g, '?') || '?';
      foreign = '';
    };
    for (const char of text.normalize('NFC')) {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) {
        flush();
        out += ' ';
      } else if (this.encodable.has(code)) {
        flush();
        out += char;
      } else foreign += char;
    }
    flush();
    return out;
  }

  /** Says so when any of these names cannot be printed exactly, since a filing must carry the exact spelling. */
  spellingNote(names: readonly string[]) {
    const changed = names.filter((name) => this.printable(name) !== name.normalize('NFC'));
    if (changed.length === 0) return;
    this.paragraph(
      `Some names hold characters this draft's font cannot print, so they are spelled here in Latin letters (${changed.map((n) => this.printable(n)).join('; ')}). The filed documents must carry each name exactly as it is written.`,
      { muted: true },
    );
  }

  title(text: string, subtitle?: string) {
    this.lines(text, this.bold, SIZE.title, INK);
    if (subtitle) this.lines(subtitle, this.regular, SIZE.subtitle, MUTED);
    this.gap(10);
  }

  heading(text: string) {
    this.gap(8);
    // Keep a heading with at least two lines of what follows it.
    this.ensureRoom(SIZE.heading * LEADING + 2 * SIZE.body * LEADING);
    this.lines(text, this.bold, SIZE.heading, INK);
    this.gap(2);
  }

  paragraph(text: string, options: { muted?: boolean; indent?: number } = {}) {
    this.lines(text, this.regular, SIZE.body, options.muted ? MUTED : INK, options.indent);
    this.gap(4);
  }

  /** A label in bold followed by its value, wrapped as one paragraph. */
  field(label: string, value: string) {
    const size = SIZE.body;
    const labelText = `${this.printable(label)}: `;
    const labelWidth = this.bold.widthOfTextAtSize(labelText, size);
    const rows = this.wrap(this.printable(value), this.regular, size, PAGE.width - 2 * PAGE.margin - labelWidth);
    rows.forEach((row, i) => {
      this.ensureRoom(size * LEADING);
      if (i === 0) this.page.drawText(labelText, { x: PAGE.margin, y: this.y - size, size, font: this.bold, color: INK });
      this.page.drawText(row, { x: PAGE.margin + labelWidth, y: this.y - size, size, font: this.regular, color: INK });
      this.y -= size * LEADING;
    });
    this.gap(2);
  }

  bullet(text: string) {
    this.ensureRoom(SIZE.body * LEADING);
    this.page.drawText('•', { x: PAGE.margin + 6, y: this.y - SIZE.body, size: SIZE.body, font: this.regular, color: INK });
    this.lines(text, this.regular, SIZE.body, INK, 18);
    this.gap(2);
  }

  /** A line to sign on, with the signer's printed name and capacity beneath, kept together on one page. */
  signature(name: string, capacity: string) {
    const height = 34 + 2 * SIZE.body * LEADING + 8;
    this.ensureRoom(height);
    this.y -= 34;
    const lineEnd = PAGE.margin + 260;
    this.page.drawLine({ start: { x: PAGE.margin, y: this.y }, end: { x: lineEnd, y: this.y }, thickness: 0.75, color: INK });
    this.page.drawText('Date:', { x: lineEnd + 24, y: this.y + 2, size: SIZE.body, font: this.regular, color: INK });
    this.page.drawLine({ start: { x: lineEnd + 54, y: this.y }, end: { x: PAGE.width - PAGE.margin, y: this.y }, thickness: 0.75, color: INK });
    this.y -= 4;
    this.lines(name, this.bold, SIZE.body, INK);
    this.lines(capacity, this.regular, SIZE.body, MUTED);
    this.gap(8);
  }

  gap(points: number) {
    this.y -= points;
  }

  /** The finished PDF, each page footed with the title and "page N of M". */
  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    const title = this.printable(this.meta.title);
    pages.forEach((page, i) => {
      const footer = `${title} — page ${i + 1} of ${pages.length}`;
      const width = this.regular.widthOfTextAtSize(footer, SIZE.small);
      page.drawText(footer, { x: (PAGE.width - width) / 2, y: PAGE.margin / 2, size: SIZE.small, font: this.regular, color: MUTED });
    });
    // A classic cross-reference table rather than object streams: every reader, old ones included, opens it.
    return this.doc.save({ useObjectStreams: false });
  }

  private newPage() {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    const width = this.bold.widthOfTextAtSize(HEADER, SIZE.small);
    this.page.drawText(HEADER, { x: (PAGE.width - width) / 2, y: PAGE.height - PAGE.margin / 2, size: SIZE.small, font: this.bold, color: DRAFT_RED });
    this.y = PAGE.height - PAGE.margin;
  }

  private ensureRoom(height: number) {
    if (this.y - height < PAGE.margin) this.newPage();
  }

  private lines(text: string, font: PDFFont, size: number, color: ReturnType<typeof rgb>, indent = 0) {
    const rows = this.wrap(this.printable(text), font, size, PAGE.width - 2 * PAGE.margin - indent);
    // A short paragraph stays on one page, a long one starts with at least two lines: no line stranded alone.
    this.ensureRoom((rows.length <= 4 ? rows.length : 2) * size * LEADING);
    for (const row of rows) {
      this.ensureRoom(size * LEADING);
      this.page.drawText(row, { x: PAGE.margin + indent, y: this.y - size, size, font, color });
      this.y -= size * LEADING;
    }
  }

  /** Greedy word wrap; a word wider than the line (a long e-mail or URL) is broken where it must be. */
  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
    const rows: string[] = [];
    let row = '';
    for (const word of text.split(/ +/).filter(Boolean)) {
      const candidate = row ? `${row} ${word}` : word;
      if (fits(candidate)) {
        row = candidate;
        continue;
      }
      if (row) rows.push(row);
      row = word;
      while (!fits(row)) {
        let cut = row.length - 1;
        while (cut > 1 && !fits(row.slice(0, cut))) cut--;
        rows.push(row.slice(0, cut));
        row = row.slice(cut);
      }
    }
    if (row) rows.push(row);
    return rows;
  }
}
