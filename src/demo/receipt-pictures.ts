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
