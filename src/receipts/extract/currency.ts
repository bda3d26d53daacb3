import type { FieldReading } from './field-reading.js';

/**
 * Printed markers mapped to ISO 4217 codes, with their weight: codes and "RM" (Malaysian
 * ringgit) are rarely misread; a lone symbol like "£" is often OCR noise.
 */
const markers: [RegExp, string, number][] = [
  [/\b(MYR|RM)\s?\d|\(RM\)|\bRM\b/, 'MYR', 2],
  [/\bSGD\b|\bS\$/, 'SGD', 2],
  [/\bUSD\b|\bUS\$/, 'USD', 2],
  [/\bEUR\b|\bEURO\b/, 'EUR', 2],
  [/€/, 'EUR', 1],
  [/\bGBP\b/, 'GBP', 2],
  [/£/, 'GBP', 1],
  [/\bDKK\b/, 'DKK', 2],
  [/\bSEK\b/, 'SEK', 2],
  [/\bNOK\b/, 'NOK', 2],
  [/\bCHF\b/, 'CHF', 2],
  [/\bAUD\b|\bA\$/, 'AUD', 2],
  [/\bCAD\b|\bC\$/, 'CAD', 2],
  [/\bIDR\b|\bRP\s?\d/, 'IDR', 2],
  [/\bTHB\b/, 'THB', 2],
  [/฿/, 'THB', 1],
];

/**
 * The country a receipt names tells which dollar a bare "$" is, which crown a "kr" is, or
 * the currency at all when none is printed.
 */
const countries: [RegExp, string][] = [
  [/\bSINGAPORE\b/, 'SGD'],
  [/\bMALAYSIA\b|\bSDN\.?\s*BHD\b|\bJOHOR\b|\bSELANGOR\b|\bKUALA LUMPUR\b/, 'MYR'],
  [/\bAUSTRALIA\b/, 'AUD'],
  [/\bCANADA\b/, 'CAD'],
  [/\bUSA\b|\bUNITED STATES\b/, 'USD'],
  [/\bDENMARK\b|\bDANMARK\b|\bCVR\b|\bKØBENHAVN\b|\bKOBENHAVN\b|\bAPS\b|\bA\/S\b/, 'DKK'],
  [/\bSWEDEN\b|\bSVERIGE\b|\bSTOCKHOLM\b/, 'SEK'],
  [/\bNORWAY\b|\bNORGE\b|\bOSLO\b|\bMVA\b/, 'NOK'],
];
/** The currencies written with a plain "$" or "kr", which only the country tells apart. */
const dollars = new Set(['SGD', 'AUD', 'CAD', 'USD']);
const crowns = new Set(['DKK', 'SEK', 'NOK']);

/**
 * The currency: printed codes and symbols vote by weight, and the country named on the
 * receipt adds one vote. A bare "$" or "kr" counts only where the country says which one it
 * is; with no marker at all the country alone gives a low-confidence reading (Malaysian
 * receipts often print no currency).
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
  const bareDollar = /(^|[^A-Z])\$/.test(text.replace(/\b(US|S|A|C)\$/g, ''));
  const bareCrown = /\d\s*KR\.?(\s|$)|\bKR\.?\s*\d/.test(text);
  if (country && ((bareDollar && dollars.has(country)) || (bareCrown && crowns.has(country)))) vote(country, 2);
  if (votes.size === 0) {
    // No marker the country confirms: the country's own currency at low confidence, but
    // never for a "kr" (which crown?) nor anything at all without a country.
    if (!country || (bareCrown && !crowns.has(country))) return null;
    return { value: country, confidence: 0.4 };
  }
  if (country) vote(country, 1);
  const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  return { value: best[0], confidence: best[1] >= 3 ? 0.9 : best[1] >= 2 ? 0.7 : 0.4 };
}
