// Pictures of till receipts for the demo company and for tests: a narrow slip of paper with
// a shop's header, the items, the total and the date, drawn with the system's fonts the way
// a thermal printer would, then photographed slightly crooked on a table.
import sharp from 'sharp';

export interface ReceiptPicture {
  merchant: string;
  address?: string;
  /** YYYY-MM-DD; printed as DD.MM.YYYY. */
  date: string;
  time?: string;
  items: readonly { name: string; amount: string }[];
  total: string;
  currency: string;
  /** VAT rate in percent and amount, printed under the total when given. */
  vat?: { rate: string; amount: string };
}

const lineWidthChars = 34;
const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function row(left: string, right: string): string {
  const room = Math.max(1, lineWidthChars - right.length);
  return left.slice(0, room - 1).padEnd(room) + right;
}

function center(text: string): string {
  const pad = Math.max(0, Math.floor((lineWidthChars - text.length) / 2));
  return ' '.repeat(pad) + text;
}

/** The receipt as lines of monospaced text. */
export function receiptLines(picture: ReceiptPicture): string[] {
  const [year, month, day] = picture.date.split('-');
  const rule = '-'.repeat(lineWidthChars);
  return [
    center(picture.merchant.toUpperCase()),
    ...(picture.address ? [center(picture.address)] : []),
    '',
    row(`Date ${day}.${month}.${year}`, picture.time ?? '12:04'),
    rule,
    ...picture.items.map((item) => row(item.name, item.amount)),
    rule,
    row(`TOTAL ${picture.currency}`, picture.total),
    ...(picture.vat ? [row(`incl. VAT ${picture.vat.rate}%`, picture.vat.amount)] : []),
    '',
    row('Card payment', picture.total),
    '',
    center('Thank you for your visit'),
  ];
}

/** A JPEG photo of the receipt. */
export async function renderReceiptPicture(picture: ReceiptPicture): Promise<Buffer> {
  const text = receiptLines(picture).map(escape).join('\n');
  const slip = await sharp({ text: { text: `<span foreground="#222">${text}</span>`, font: 'DejaVu Sans Mono', dpi: 220, rgba: true } }).png().toBuffer();
  const { width = 600, height = 900 } = await sharp(slip).metadata();
  const paper = await sharp({ create: { width: width + 80, height: height + 120, channels: 3, background: '#f7f5ef' } })
    .composite([{ input: slip, left: 40, top: 60 }])
    .png()
    .toBuffer();
  return sharp(paper)
    .rotate(0, { background: '#8a8f96' })
    .extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#8a8f96' })
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** PDF string literals escape backslashes and parentheses (PDF 1.7, 7.3.4.2). */
const pdfText = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('(', '\\(').replaceAll(')', '\\)');

/**
 * The receipt as a one-page PDF with a text layer, as e-invoicing tills and online shops send
 * them: Courier (a standard font every reader has), one text line per receipt line, Latin-1.
 */
export function renderReceiptPdf(picture: ReceiptPicture): Buffer {
  return renderLinesPdf(receiptLines(picture));
}

/** Lines of text as a one-page PDF with a text layer, as renderReceiptPdf writes a receipt. */
export function renderLinesPdf(lines: readonly string[]): Buffer {
  const lineHeight = 14;
  const height = 72 + lines.length * lineHeight;
  const content = ['BT', '/F1 11 Tf', `36 ${height - 36} Td`, `${lineHeight} TL`, ...lines.map((line) => `(${pdfText(line)}) '`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 ${height}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
