import type { FieldReading } from './field-reading.js';

/**
 * Printed markers mapped to ISO 4217 codes, with their weight: codes and "RM" (Malaysian
 * ringgit) are rarely misread; a lone symbol like "£" is often OCR noise.
 */
const markers: [RegExp, string, number][] = [
  [/\b(MYR|RM)\s?\d|\(RM\)|\bRM\b/, 'MYR', 2],
  [/\bSGD\b|\bS\$/, 'SGD', 2],
  [/\bUSD\b|\bUS\$/, 'USD', 2],
  [/\bEUR\b/, 'EUR', 2],
  [/€/, 'EUR', 1],
  [/\bGBP\b/, 'GBP', 2],
  [/£/, 'GBP', 1],
  [/\bIDR\b|\bRP\s?\d/, 'IDR', 2],
  [/\bTHB\b/, 'THB', 2],
  [/฿/, 'THB', 1],
];

/** The country in the address tells which dollar a bare "$" is, or the currency at all. */
const countries: [RegExp, string][] = [
  [/\bSINGAPORE\b/, 'SGD'],
  [/\bMALAYSIA\b|\bSDN\.?\s*BHD\b|\bJOHOR\b|\bSELANGOR\b|\bKUALA LUMPUR\b/, 'MYR'],
  [/\bAUSTRALIA\b/, 'AUD'],
  [/\bCANADA\b/, 'CAD'],
  [/\bUSA\b|\bUNITED STATES\b/, 'USD'],
];

/**
 * The currency: printed codes and symbols vote by weight, the country named on the receipt
 * adds one vote; with no marker at all the country alone gives a low-confidence reading.
 */
export function findCurrency(lines: readonly string[]): FieldReading | null {
  const text = lines.join('\n').toUpperCase();
  const votes = new Map<string, number>();
  const vote = (code: string, weight: number): void => {
    votes.set(code, (votes.get(code) ?? 0) + weight);
  };
  for (const line of text.split('\n')) {
    for (const [pattern, code, weight] of markers) if (pattern.test(line)) vote(code, weight);
  }
  const country = countries.find(([pattern]) => pattern.test(text))?.[1];
  if (votes.size === 0) {
    return country ? { value: country, confidence: /\$/.test(text) ? 0.6 : 0.4 } : null;
  }
  if (country) vote(country, 1);
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  return { value: best[0], confidence: best[1] >= 3 ? 0.9 : best[1] >= 2 ? 0.7 : 0.4 };
}
