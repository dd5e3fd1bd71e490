import PDFParser from 'pdf2json';

/** pdf2json keeps parser state in module globals, so two parses at once mix their pages: one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * The text of a PDF read back by an independent parser (pdf2json), with runs of white space folded to one space, so a
 * test can find a phrase whatever line it was wrapped onto. Also the page count and the document's metadata.
 */
export function readPdf(bytes: Uint8Array): Promise<{ text: string; pages: number; title: string | undefined }> {
  const read = queue.then(() => parse(bytes));
  queue = read.catch(() => undefined);
  return read;
}

async function parse(bytes: Uint8Array) {
  const parser = new PDFParser(null, true);
  const data = await new Promise<Parameters<Parameters<typeof parser.on<'pdfParser_dataReady'>>[1]>[0]>((resolve, reject) => {
    parser.on('pdfParser_dataReady', resolve);
    parser.on('pdfParser_dataError', (error) => reject('parserError' in error ? error.parserError : error));
    // pdf2json reads the buffer's whole ArrayBuffer from offset 0, so hand it a buffer that owns all of its memory.
    const own = Buffer.alloc(bytes.length);
    own.set(bytes);
    // Below pdf2json's lowest level (0 counts as unset), so pdf.js's warnings stay out of the test output.
    parser.parseBuffer(own, -1);
  });
  const text = parser.getRawTextContent().replace(/-+Page \(\d+\) Break-+/g, ' ').replace(/\s+/g, ' ');
  parser.destroy();
  const meta = data.Meta as { Title?: string };
  return { text, pages: data.Pages.length, title: meta.Title };
}
