/**
 * Amounts as printed on receipts, read into exact decimal strings ("1234.50"). Money is never
 * held in a float: the digits are carried through as text.
 */

export interface PrintedAmount {
  /** Canonical decimal string with two decimals, e.g. "1234.50". */
  value: string;
  /** Position of the amount in its line, for "rightmost amount" rules. */
  start: number;
}

/**
 * A number with exactly two decimals, not glued to other digits, dots, slashes or colons on
 * either side, so that dates (25.12.2018) and times (12:31) are not taken for money.
 */
const amountPattern = /(?<![\d.,/:])\d[\d,. ]*?[.,] ?\d{2}(?![\d]|[.,/:]\d)/g;

/** Reads "1,234.50", "1.234,50", "80.90" or "080,90" as "1234.50"/"80.90"; null otherwise. */
export function normaliseAmount(printed: string): string | null {
  const compact = printed.replace(/ /g, '');
  const match = /^(\d[\d,.]*)[.,](\d{2})$/.exec(compact);
  if (!match) return null;
  const [, whole = '', cents = ''] = match;
  const groups = whole.split(/[.,]/);
  if (groups.length > 1 && groups.slice(1).some((g) => g.length !== 3)) return null;
  const digits = groups.join('').replace(/^0+(?=\d)/, '');
  return `${digits}.${cents}`;
}

/** "kl. 14.31": Danish and Swedish receipts print the time of day with a dot after "kl.". */
const clockBefore = /\bkl\.?\s*$/i;

/** Every amount on one line, left to right. */
export function findAmounts(printed: string): PrintedAmount[] {
  // A no-break space (U+00A0, U+202F) groups thousands in Swedish and French print ("1 234,50");
  // it is one character for one, so positions stay those of the line as printed.
  const line = printed.replace(/[\u00a0\u202f]/g, ' ');
  const found: PrintedAmount[] = [];
  for (const match of line.matchAll(amountPattern)) {
    if (clockBefore.test(line.slice(0, match.index))) continue;
    // OCR often puts a space after the decimal point ("200. 00") or before it ("42 .95", where
    // the column of decimal points split the amounts off); elsewhere a space inside a number
    // is only a thousands separator before three digits.
    const text = match[0].replace(/([.,]) (\d{2})$/, '$1$2').replace(/(\d) ([.,]\d{2})$/, '$1$2');
    const candidates = text.includes(' ') ? splitOnSpaces(text, match.index) : [{ text, start: match.index }];
    for (const candidate of candidates) {
      const value = normaliseAmount(candidate.text);
      if (value !== null) found.push({ value, start: candidate.start });
    }
  }
  return found;
}

function splitOnSpaces(text: string, start: number): { text: string; start: number }[] {
  const grouped = /^\d{1,3}( \d{3})+[.,]\d{2}$/.test(text);
  if (grouped) return [{ text, start }];
  const last = text.lastIndexOf(' ');
  const tail = text.slice(last + 1);
  return /^\d[\d,.]*[.,]\d{2}$/.test(tail) ? [{ text: tail, start: start + last + 1 }] : [];
}

/**
 * Amounts on a line already known to carry money (a TOTAL line) where OCR lost the decimal
 * point: "41 50" is read as "41.50". Only used when the line has no regular amount.
 */
export function findAmountsWithoutPoint(line: string): PrintedAmount[] {
  const regular = findAmounts(line);
  if (regular.length > 0) return regular;
  return [...line.matchAll(/(?<![\d.,/:])(\d{1,4}) (\d{2})(?![\d.,:])/g)].map((m) => ({ value: `${m[1]?.replace(/^0+(?=\d)/, '')}.${m[2]}`, start: m.index }));
}

/** Compares two canonical amounts by value. */
export function compareAmounts(a: string, b: string): number {
  const [aw = '', ac = ''] = a.split('.');
  const [bw = '', bc = ''] = b.split('.');
  if (aw.length !== bw.length) return aw.length - bw.length;
  return aw === bw ? ac.localeCompare(bc) : aw.localeCompare(bw);
}

/** a - b for canonical two-decimal amounts, exact (bigint cents); null when negative. */
export function subtractAmounts(a: string, b: string): string | null {
  const cents = (v: string): bigint => BigInt(v.replace('.', ''));
  const diff = cents(a) - cents(b);
  if (diff < 0n) return null;
  const text = diff.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** a + b for canonical two-decimal amounts, exact (bigint cents). */
export function addAmounts(a: string, b: string): string {
  const text = (BigInt(a.replace('.', '')) + BigInt(b.replace('.', ''))).toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}
