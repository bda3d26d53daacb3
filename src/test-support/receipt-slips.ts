// Till slips for tests, drawn from lines of text: an SVG of monospaced text (the system's
// DejaVu Sans Mono, dark grey on off-white paper, about 200 DPI) rendered to PNG by sharp, so
// tests read them with real OCR. Danish, Swedish and German receipts among them.
import sharp from 'sharp';

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const lineHeightPx = 34;
const widthPx = 620;

/** A slip's printed lines and what a reader should find on it. */
export interface Slip {
  lines: readonly string[];
  fields: { merchant: string; date: string; total: string; currency: string; vat: string };
  lineItems: { description: string; quantity: string | null; amount: string }[];
}

const slipWidthChars = 33;
const rule = '-'.repeat(slipWidthChars + 2);
const center = (text: string) => ' '.repeat(Math.max(0, Math.floor((slipWidthChars - text.length) / 2))) + text;

/** A till's layout: the shop and its address centred, the date line, items and totals as columns. */
function tillLines(shop: readonly string[], dateLine: string, items: readonly [string, string][], totals: readonly [string, string][]): string[] {
  const row = ([left, right]: readonly [string, string]) => left.padEnd(slipWidthChars - right.length) + right;
  return [...shop.map(center), '', dateLine, rule, ...items.map(row), rule, ...totals.map(row)];
}

/** A PNG of the slip, one printed line per line given. */
export async function renderSlip(lines: readonly string[]): Promise<Buffer> {
  const height = 60 + lines.length * lineHeightPx;
  const text = lines.map((line, i) => `<text x="30" y="${50 + i * lineHeightPx}" xml:space="preserve">${escape(line)}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${height}"><rect width="100%" height="100%" fill="#f7f5ef"/><g font-family="DejaVu Sans Mono" font-size="24" fill="#222">${text}</g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A Danish furniture shop's slip: æøå in the name, thousands dots, "I alt", "Heraf moms". */
export const danishSlip: Slip = {
  lines: tillLines(
    ['MØBELHUSET ÅRHUS', 'Søndergade 12, 8000 Aarhus'],
    'Købt 7. dec. 2026    kl. 14.31',
    [['Sofabord egetræ', '1.199,95'], ['Levering', '34,55']],
    [['I alt DKK', '1.234,50'], ['Dankort', '1.234,50'], ['Heraf moms', '246,90']],
  ),
  fields: { merchant: 'MØBELHUSET ÅRHUS', date: '2026-12-07', total: '1234.50', currency: 'DKK', vat: '246.90' },
  lineItems: [
    { description: 'Sofabord egetræ', quantity: null, amount: '1199.95' },
    { description: 'Levering', quantity: null, amount: '34.55' },
  ],
};

/** A Swedish café's slip: "Summa", rounding to the crown, "Att betala", "Moms". */
export const swedishSlip: Slip = {
  lines: tillLines(
    ['KAFFEBRÖDET I LUND', 'Stortorget 3, 222 23 Lund'],
    'Kvitto 2026-12-07      kl 09:12',
    [['Kaffe', '32,00'], ['Kanelbulle  2 x 14,25', '28,50']],
    [['Summa', '60,50'], ['Öresavrundning', '-0,50'], ['Att betala SEK', '60,00'], ['Moms 12%', '6,43']],
  ),
  fields: { merchant: 'KAFFEBRÖDET I LUND', date: '2026-12-07', total: '60.00', currency: 'SEK', vat: '6.43' },
  lineItems: [
    { description: 'Kaffe', quantity: null, amount: '32.00' },
    { description: 'Kanelbulle', quantity: '2', amount: '28.50' },
  ],
};

/** A German bakery's slip: umlauts, "Summe", cash given and change, "MwSt". */
export const germanSlip: Slip = {
  lines: tillLines(
    ['BÄCKEREI MÜLLER', 'Hauptstraße 5, 10115 Berlin'],
    'Datum 07.12.2026     Uhrzeit 08:05',
    [['Roggenbrot', '3,49'], ['Käsekuchen', '4,99']],
    [['Summe EUR', '8,48'], ['Gegeben Bar', '10,00'], ['Rückgeld', '1,52'], ['MwSt 7%', '0,55']],
  ),
  fields: { merchant: 'BÄCKEREI MÜLLER', date: '2026-12-07', total: '8.48', currency: 'EUR', vat: '0.55' },
  lineItems: [
    { description: 'Roggenbrot', quantity: null, amount: '3.49' },
    { description: 'Käsekuchen', quantity: null, amount: '4.99' },
  ],
};
