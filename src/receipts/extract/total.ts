import type { FieldReading } from './field-reading.js';
import { compareAmounts, findAmounts, findAmountsWithoutPoint, subtractAmounts } from './amounts.js';

/** Evidence weights for a total candidate; the final (rounded, tax-inclusive) total wins. */
const weights = {
  finalTotalLine: 5,
  totalLine: 3,
  partialTotalLine: 1,
  // Below a total line: it rests on two OCR readings, so it is likelier to be misread.
  tenderedMinusChange: 2.5,
  tenderedExact: 1,
  /** Where cash is rounded (to 0.05 in Malaysia, Switzerland, ...) the payable total is a multiple of it. */
  roundedToNickel: 2,
} as const;
const scoreForFullConfidence = 5;
/** Below this score a total is not reported at all. */
const scoreMin = 2;

const finalTotalPattern =
  /\b(GRAND\s*TOTAL|NETT?\s*TOTAL|TOTAL\s*(AMOUNT|AMT|PAYABLE|DUE|ROUNDED|AFTER)|TOTAL.*\bINCL|INCLUSIVE|AMOUNT\s*(DUE|PAYABLE)|ROUNDED\s*TOTAL|NETT|NET\s*AMOUNT|BALANCE\s*DUE|TOTAL\s*\(RM\))/;
const partialTotalPattern = /\b(SUB\s*-?\s*TOTAL|EXCL|EXCLUDING|BEFORE|INCLUDED|SUPPLIES|TOTAL\s*(GST|TAX|VAT|SST|DISC|DISCOUNT|SAVINGS?))\b|TOTAL\s*\d+\s*%/;
/** Counts of items, not money, even when printed as "1.00". */
const countPattern = /\bT[O0]TAL\s*(QTY|QUANTITY|ITEMS?|PCS|UNITS?)\b|\bITEM\s*COUNT\b/;
const totalPattern = /\bT[O0]TAL\b/;
/**
 * Tax summary tables repeat per-rate subtotals under a "Total" label, with the net amount
 * and the tax side by side; such lines are not the receipt total.
 */
const summaryPattern = /\bSUMMARY\b|\bTAX\s*CODE\b/;
const roundingPattern = /\bROUND/;
const tenderedPattern = /\b(CASH|TENDERED|VISA|MASTER|CARD|CREDIT|DEBIT|PAID|PAYMENT)\b/;
const changePattern = /\bCHANGE\b/;

interface Candidate {
  value: string;
  score: number;
  line: number;
}

/** The amount a line gives for its label: the rightmost amount, or the next line's if none. */
function labelledAmount(lines: readonly string[], index: number): string | null {
  const line = lines[index] ?? '';
  const own = totalPattern.test(line.toUpperCase()) ? findAmountsWithoutPoint(line) : findAmounts(line);
  if (own.length > 0) return own[own.length - 1]?.value ?? null;
  // A label alone on its line, its amount printed below it.
  if (/\d/.test(line)) return null;
  const next = findAmounts(lines[index + 1] ?? '');
  return next.length === 1 ? (next[0]?.value ?? null) : null;
}

/** "ROUNDING 0.01" is the adjustment, but "ROUNDED 37.45" or "ROUNDING RM 37.45" is the total. */
function isRoundedTotal(upper: string, lines: readonly string[], index: number): boolean {
  const value = labelledAmount(lines, index);
  return roundingPattern.test(upper) && value !== null && compareAmounts(value, '1.00') >= 0;
}

function lineWeight(upper: string): number {
  if (countPattern.test(upper)) return 0;
  if (partialTotalPattern.test(upper)) return weights.partialTotalLine;
  if (finalTotalPattern.test(upper)) return weights.finalTotalLine;
  if (totalPattern.test(upper)) return weights.totalLine;
  return 0;
}

function scoreTotalLines(lines: readonly string[], add: (value: string, score: number, line: number) => void): void {
  const summaryStart = lines.findIndex((l) => summaryPattern.test(l.toUpperCase()));
  lines.forEach((line, index) => {
    if (summaryStart >= 0 && index >= summaryStart && findAmounts(line).length >= 2) return;
    const upper = line.toUpperCase();
    const weight = isRoundedTotal(upper, lines, index) ? weights.finalTotalLine : lineWeight(upper);
    if (weight === 0) return;
    const value = labelledAmount(lines, index);
    if (value !== null && compareAmounts(value, '0.00') > 0) add(value, weight, index);
  });
}

/** Cash tendered minus change given is the total, whatever the total line looked like. */
function scorePayment(lines: readonly string[], add: (value: string, score: number, line: number) => void): void {
  const upper = lines.map((l) => l.toUpperCase());
  const changeIndex = upper.findLastIndex((l) => changePattern.test(l));
  const tenderedIndex = upper.findLastIndex(
    (l, i) => tenderedPattern.test(l) && !changePattern.test(l) && (changeIndex < 0 || i < changeIndex) && labelledAmount(lines, i) !== null,
  );
  if (tenderedIndex < 0) return;
  const tendered = labelledAmount(lines, tenderedIndex);
  if (tendered === null) return;
  const change = changeIndex >= 0 ? labelledAmount(lines, changeIndex) : null;
  if (change === null || change === '0.00') {
    add(tendered, weights.tenderedExact, tenderedIndex);
    return;
  }
  const paid = subtractAmounts(tendered, change);
  if (paid !== null && compareAmounts(paid, '0.00') > 0) add(paid, weights.tenderedMinusChange, tenderedIndex);
}

/**
 * The receipt total: every line labelled as a total votes for its amount (final, rounded or
 * tax-inclusive totals count most, subtotals least) and the payment block (tendered minus
 * change) votes too. The best-supported amount wins; ties go to the later one, since the
 * final total is printed after the intermediate ones.
 */
export function findTotal(lines: readonly string[]): FieldReading | null {
  const candidates = new Map<string, Candidate>();
  const add = (value: string, score: number, line: number): void => {
    const seen = candidates.get(value);
    if (seen) {
      seen.score += score;
      seen.line = Math.max(seen.line, line);
    } else candidates.set(value, { value, score, line });
  };
  scoreTotalLines(lines, add);
  scorePayment(lines, add);
  if (lines.some((l) => roundingPattern.test(l.toUpperCase()))) {
    for (const candidate of candidates.values()) if (/[05]$/.test(candidate.value)) candidate.score += weights.roundedToNickel;
  }
  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score || b.line - a.line);
  const best = ranked[0];
  if (!best || best.score < scoreMin) return null;
  const runnerUp = ranked[1]?.score ?? 0;
  const confidence = Math.min(1, best.score / scoreForFullConfidence) * (best.score / (best.score + runnerUp));
  return { value: best.value, confidence: Math.round(confidence * 100) / 100 };
}
