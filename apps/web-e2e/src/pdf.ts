import PDFParser from 'pdf2json';

/**
 * The text of a downloaded PDF, read by an independent parser (pdf2json, as the gateway's document specs read
 * theirs), runs of white space folded to one space so that a phrase is found whatever line it was wrapped onto.
 */
export async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParser(null, true);
  await new Promise<void>((resolve, reject) => {
    parser.on('pdfParser_dataReady', () => resolve());
    parser.on('pdfParser_dataError', (error) => reject('parserError' in error ? error.parserError : error));
    // pdf2json reads the whole ArrayBuffer under the Buffer, so it gets one of its own; -1 keeps pdf.js's warnings quiet.
    parser.parseBuffer(Buffer.from(Uint8Array.prototype.slice.call(bytes).buffer), -1);
  });
  const text = parser.getRawTextContent().replace(/-+Page \(\d+\) Break-+/g, ' ').replace(/\s+/g, ' ');
  parser.destroy();
  return text;
}
