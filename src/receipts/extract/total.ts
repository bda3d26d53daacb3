import type { FieldReading } from './field-reading.js';
import type { OcrLine } from './ocr-page.js';
import { addAmounts, compareAmounts, findAmounts, findAmountsWithoutPoint, subtractAmounts } from './amounts.js';

/**
 * Evidence weights for a total candidate. A printed total label counts most, the final
 * (rounded, tax-inclusive) one above all; arithmetic that lands on the same amount from other
 * printed numbers confirms it, and agreement between independent kinds of evidence counts
 * extra, since one misread digit rarely fools two different sums.
 */
const weights = {
  finalTotalLine: 5,
  totalLine: 3,
  partialTotalLine: 1,
  // It rests on two OCR readings, so alone it is likelier to be misread than a total line.
  tenderedMinusChange: 2.5,
  tenderedExact: 1,
  /** Subtotal plus tax, less discount, plus rounding; or a total plus its rounding. */
  arithmetic: 2,
  /** The amount before rounding is printed too, but it is not what was paid. */
  beforeRounding: -2,
  itemSum: 2,
  /** Per kind of evidence beyond the first that supports the same amount. */
  agreement: 2,
  /** Where cash is rounded (to 0.05 in Malaysia, Switzerland, ...) the payable total is a multiple of it. */
  roundedToNickel: 2,
} as const;
export const totalScoreForFullConfidence = 5;
/** Below this score a total is not reported at all. */
export const totalScoreMin = 2;
/** A rounding adjustment is less than this; "ROUNDING 37.45" is the rounded total itself. */
const roundingMax = '1.00';

type Role = 'count' | 'rounding' | 'change' | 'tendered' | 'discount' | 'tax' | 'subtotal' | 'final' | 'total';
type Evidence = 'label' | 'payment' | 'arithmetic' | 'items';

/** "TOTAL" as printed and as OCR misreads it: T0TAL, TOTA1, Tota!, TATAL, FOTAL. */
const totalWord = String.raw`\b(?:[TF][O0QA]T[A4][L1I!|\]]|T[O0]TA|TOT[L1])`;
const totalWordTail = totalWord.slice(2);
/** Also Swedish (öres)avrundning, Danish afrunding and German Rundung. */
const roundingWord = /\bROUND(ING|ED)?\b|\bRND\b|AVRUNDNING\b|\bAFRUNDING\b|\bRUNDUNG\b/;
/**
 * The first pattern that matches a line gives its role: the order settles "TOTAL GST" (tax)
 * against "TOTAL INCL GST" (final). "...clusive of GST) 80.90" is a tax-inclusive total whose
 * label OCR lost the start of.
 */
const patterns: [Role, RegExp][] = [
  ['count', new RegExp(String.raw`${totalWord}\w*\s*(QTY|QUANTITY|IT[EC][MW]S?|PCS|UNITS?)\b|\bITEM\s*(COUNT|\(S\))|\bNO\.?\s*OF\s*(QTY|ITEMS?)\b|\bQTY\b`)],
  // Change in German (Rückgeld), Danish (byttepenge) and Swedish (växel, tillbaka).
  ['change', /\bCHANGE\b|\bBAKI\b|\bR[ÜU]CKGELD\b|\bBYTTEPENGE\b|\bV[ÄA]XEL\b|\bTILLBAKA\b/],
  // "Total paid" in a web shop's receipt is the total, not the cash handed over.
  ['final', new RegExp(String.raw`${totalWord}\s*(PAID|CHARGED|PAYMENT)\b`)],
  // German cash starts its line ("Bar 10,00", "Gegeben Bar"), so a "CHOC BAR" stays an item.
  ['tendered', /\b([CG]ASH|TENDER(ED)?|PAID|PAYMENT|RECEIVED|VISA|MASTER(CARD)?|AMEX|CARD|CREDIT|DEBIT|GEGEBEN|KONTANT|DANKORT|KORT|GIROCARD|EC-?\s?KARTE|BETALT|BEZAHLT)\b|^\s*BAR\b/],
  ['rounding', roundingWord],
  // "TOTAL 6% SUPPLIES", "TOTAL 0% ...": per-rate subtotals of a tax table.
  // A total of supplies also as OCR cuts the word short ("Total 0% supplie.", "Total & supplic"),
  // but an item's "supplement" or a "Supplier:" line is no subtotal.
  ['subtotal', new RegExp(String.raw`\bSUB\s*-?\s*T[O0]TAL|\bEXCL|\bEXCLUDING\b|\bBEFORE\b|\bSUPPLIES\b|${totalWord}.*\bSUPPLI(?!ER|ED)|\bGROSS\b|${totalWord}\s*[\dO&@]{1,2}\s*%|\bZWISCHENSUMME\b|\bNETTO\b`)],
  ['discount', /\b(DISC(OUNT)?|COUPON|LESS|VOUCHER|SAVINGS?)\b/],
  [
    'final',
    new RegExp(
      String.raw`\bGESAMT|\bENDBETRAG\b|\bRECHNUNGSBETRAG\b|\bZU\s*ZAHLEN\b|\bI\s*ALT\b|\bATT?\s*BETAL[AE]\b|\bGRAND\s*${totalWordTail}|\bNETT?\s*(${totalWordTail}|AMT|AMOUNT)|${totalWord}\w*\s*(AMOUNT|AMT|PAY(?!BACK|MENT|OUT|EE|ER)|DUE|AFTER|SALES|WITH|RM|\(RM\))|${totalWord}.*\bINC|\bAMOUNT\s*(DUE|PAYABLE)|\bFINAL\s*${totalWordTail}|\bBALANCE\s*DUE\b|[CL]USIVE\s*(OF\s*)?(GST|TAX|VAT)\b`,
    ),
  ],
  ['tax', /\b(GST|SST|VAT|TAX|MWST|UST|MOMS|MVA)\b.*(\d\s*%|PAYABLE|AMOUNT|AMT)|T[O0]TAL\s*(GST|SST|VAT|TAX)\b|\bS(ER)?V(I)?C(E)?\.?\s*CH(AR)?GE?\b|\bSRV\s*CHG\b/],
  ['total', new RegExp(String.raw`${totalWord}|\bSUMM[EA]\b|\bSUM\b|\bBETRAG\b`)],
];
/** Tax that the total already includes is information, not a charge: "GST 6% INCLUDED IN TOTAL 1.58". */
const includedTax = /\b(GST|SST|VAT|TAX|MWST|UST|MOMS)\b.*\bINCLUDE[SD]?\b|\b(INCLUDE[SD]?|INKL|INKLUSIVE|VARAV|DAVON)\b.*\b(GST|SST|VAT|TAX|MWST|UST|MOMS)\b|\bHERAF\b|\bENTHALTEN\b/;
/** Titles on the cash line that do not state a payment: "CASH SALES", "CASH INV NO". */
const notPayment = /\bCASH\s*(SALES?|INV|BILL|RECEIPT|&|AND|CARRY|REGISTER)|\bCASHIER\b|\bPAYMENT\s*MODE\b|\bPAY\s*BY\b/;
/** Tax summary tables repeat per-rate subtotals under a "Total" label: not the receipt total. */
const summaryPattern = /\bSUMMARY\b|\bTAX\s*CODE\b|\bANALYSIS\b/;

interface LabelledAmount {
  role: Role;
  value: string;
  negative: boolean;
  line: number;
  /** OCR confidence of the word the amount was read from (1 for plain text). */
  confidence: number;
}

/**
 * A total label first, then "inkl." and the tax: "Total inkl. moms 125,00", "Summe inkl. MwSt
 * 8,48", "Totalt inkl. moms". It is the total with its tax, not the tax included in it.
 */
const totalWithTax = new RegExp(String.raw`^\W*(?:${totalWord}\w*|I\s*ALT|SUMM[EA]|GESAMT\w*|ENDBETRAG)\b(?:(?!MOMS|MWST|MVA|VAT|GST|TAX|UST)[^\d])*\bINKL(?:USIVE?)?\b`);

function roleOf(upper: string): Role | null {
  if (totalWithTax.test(upper)) return 'final';
  if (includedTax.test(upper)) return null;
  for (const [role, pattern] of patterns) {
    if (!pattern.test(upper)) continue;
    if (role === 'tendered' && notPayment.test(upper) && !/\d[.,]\s?\d{2}\b/.test(upper.replace(notPayment, ''))) continue;
    return role;
  }
  return null;
}

/**
 * A label alone on its line, its amount printed below: "NETT TOTAL" over "RM 33.90". Not a
 * table header ("Rate %  TOTAL") nor "(Inclusive of GST)" continuing the line above.
 */
function isBareLabel(line: string): boolean {
  return !/[\d%]/.test(line) && !line.startsWith('(') && line.split(/\s+/).length <= bareLabelWordsMax;
}
const bareLabelWordsMax = 4;

/** The confidence of the OCR word that covers position `at` of the line's text. */
function wordConfidence(line: OcrLine, at: number): number {
  let cursor = 0;
  for (const word of line.words ?? []) {
    const start = line.text.indexOf(word.text, cursor);
    if (start < 0) break;
    cursor = start + word.text.length;
    if (at >= start && at < cursor) return word.confidence;
  }
  return line.words ? line.confidence : 1;
}

function rightmostAmount(line: OcrLine, role: Role): { value: string; negative: boolean; confidence: number } | null {
  const own = role === 'count' ? [] : findAmountsWithoutPoint(line.text);
  const last = own[own.length - 1];
  if (!last) return null;
  // "-0.02", "- RM 0.02", "(RM -1.16)": a minus sign before the amount.
  const negative = /-\s*(RM|MYR|\$)?\s*$/i.test(line.text.slice(0, last.start));
  return { value: last.value, negative, confidence: wordConfidence(line, last.start) };
}

/** Every amount with a money label, in print order; a label alone on its line takes the next line's amount. */
function labelledAmounts(lines: readonly OcrLine[]): LabelledAmount[] {
  const found: LabelledAmount[] = [];
  const summaryStart = lines.findIndex((l) => summaryPattern.test(l.text.toUpperCase()));
  lines.forEach((ocrLine, index) => {
    const line = ocrLine.text;
    const upper = line.toUpperCase();
    const role = roleOf(upper);
    if (role === null || role === 'count') return;
    if (summaryStart >= 0 && index > summaryStart && findAmounts(line).length >= 2) return;
    let amount = rightmostAmount(ocrLine, role);
    // A label alone on its line, its amount below; "(Inclusive of GST)" continues the line above.
    if (!amount && isBareLabel(line)) {
      const next = lines[index + 1];
      if (next && findAmounts(next.text).length === 1 && roleOf(next.text.toUpperCase()) === null) amount = rightmostAmount(next, role);
    }
    if (!amount) return;
    let finalRole = role;
    // "ROUNDING 0.01" is the adjustment, but "ROUNDED 37.45" or "ROUNDING RM 37.45" is the total.
    if (role === 'rounding' && compareAmounts(amount.value, roundingMax) >= 0) finalRole = 'final';
    found.push({ role: finalRole, ...amount, line: index });
  });
  return found;
}

/** An unread final total reaches back over this many lines: the rounding and tax between them. */
const finalLabelReachLines = 4;
/** A final total's label is short; a longer line ("balance due upon receipt ...") is prose. */
const finalLabelWordsMax = 5;

/** "TOTAL" as a word of the label, as OCR misreads it too. */
const totalLabelWord = new RegExp(totalWord);

/**
 * Lines labelled as the final total, with the word TOTAL, whose figure this reading could not
 * make out ("Total Inclusive GST:  oy" where a highlighter or a pen covers it). A plain total
 * printed just above such a line is an intermediate figure (the items before a discount,
 * rounding or tax), so it must not stand in for the one that was lost. A line with any digit
 * is no such label (a tax table's row, "Antal varer i alt: 5", "PAYBACK Punkte 125"), and
 * neither are the phrases of footers and slips without the word ("Balance due upon receipt",
 * "Amount due", "All prices inclusive of VAT", "Zu zahlen"), nor "(Inclusive of GST)", which
 * continues the line above it.
 */
function unreadFinalLabels(lines: readonly string[], amounts: readonly LabelledAmount[]): number[] {
  const read = new Set(amounts.map((a) => a.line));
  return lines.flatMap((line, index) => {
    const trimmed = line.trim();
    const upper = trimmed.toUpperCase();
    if (read.has(index) || /\d/.test(trimmed) || trimmed.startsWith('(') || trimmed.split(/\s+/).length > finalLabelWordsMax) return [];
    return totalLabelWord.test(upper) && roleOf(upper) === 'final' ? [index] : [];
  });
}

interface Candidate {
  value: string;
  score: number;
  line: number;
  evidence: Set<Evidence>;
  /** Printed only as a subtotal: never the total on that evidence alone. */
  partial: boolean;
}

export interface TotalCandidate {
  value: string;
  score: number;
  line: number;
}

class Tally {
  readonly candidates = new Map<string, Candidate>();
  add(value: string, score: number, line: number, evidence: Evidence, partial = false): void {
    if (compareAmounts(value, '0.00') <= 0) return;
    const seen = this.candidates.get(value);
    if (seen) {
      seen.score += score;
      seen.line = Math.max(seen.line, line);
      seen.evidence.add(evidence);
      seen.partial &&= partial;
    } else this.candidates.set(value, { value, score, line, evidence: new Set([evidence]), partial });
  }
  /** Adds to an amount that a total label or the payment already supports. */
  confirm(value: string | null, score: number, evidence: Evidence): void {
    const seen = value === null ? undefined : this.candidates.get(value);
    if (seen && !seen.partial) {
      seen.score += score;
      seen.evidence.add(evidence);
    }
  }
}

/**
 * How much a labelled amount counts, by the OCR confidence of its word: a clear "80.90"
 * fully, a smudged one about half. Below a confidence of 0.3 OCR is mostly guessing.
 */
function trust(confidence: number): number {
  return 0.5 + 0.5 * Math.min(1, Math.max(0, (confidence - 0.3) / 0.6));
}

const labelWeight: Partial<Record<Role, number>> = { final: weights.finalTotalLine, total: weights.totalLine, subtotal: weights.partialTotalLine };

/** Cash tendered minus change given is the total, whatever the total line looked like. */
function scorePayment(amounts: readonly LabelledAmount[], tally: Tally): void {
  const change = amounts.findLast((a) => a.role === 'change');
  const tendered = amounts.findLast((a) => a.role === 'tendered' && (!change || a.line <= change.line));
  if (!tendered) return;
  if (!change || change.value === '0.00') {
    tally.add(tendered.value, weights.tenderedExact * trust(tendered.confidence), tendered.line, 'payment');
    return;
  }
  const paid = subtractAmounts(tendered.value, change.value);
  if (paid !== null) tally.add(paid, weights.tenderedMinusChange * trust(Math.min(tendered.confidence, change.confidence)), tendered.line, 'payment');
}

function signed(amount: LabelledAmount | undefined): (total: string) => string | null {
  if (!amount) return (total) => total;
  return (total) => (amount.negative ? subtractAmounts(total, amount.value) : addAmounts(total, amount.value));
}

/**
 * Subtotal + tax - discount (+ rounding) is the total, and so is a printed total plus the
 * rounding below it; the unrounded amount then loses.
 */
function scoreArithmetic(amounts: readonly LabelledAmount[], tally: Tally): void {
  const rounding = amounts.find((a) => a.role === 'rounding' && a.value !== '0.00');
  const applyRounding = signed(rounding);
  const subtotal = amounts.find((a) => a.role === 'subtotal');
  if (subtotal) {
    const taxes = amounts.filter((a) => a.role === 'tax' && a.line > subtotal.line && a.value !== '0.00');
    const discount = amounts.find((a) => a.role === 'discount' && a.line > subtotal.line && a.value !== '0.00');
    let withTax: string | null = subtotal.value;
    for (const tax of taxes) withTax = withTax === null ? null : addAmounts(withTax, tax.value);
    const sums = new Set<string | null>(taxes.length > 0 ? [withTax] : []);
    if (discount && withTax !== null) sums.add(subtractAmounts(withTax, discount.value));
    for (const sum of [...sums]) if (sum !== null && rounding) sums.add(applyRounding(sum));
    if (rounding && taxes.length === 0 && !discount) sums.add(applyRounding(subtotal.value));
    for (const sum of sums) if (sum !== null) tally.add(sum, weights.arithmetic, subtotal.line, 'arithmetic');
  }
  if (!rounding) return;
  for (const candidate of [...tally.candidates.values()]) {
    if (candidate.partial || !candidate.evidence.has('label')) continue;
    const rounded = applyRounding(candidate.value);
    if (rounded === null || rounded === candidate.value) continue;
    tally.add(rounded, weights.arithmetic, candidate.line, 'arithmetic');
    candidate.score += weights.beforeRounding;
  }
}

/**
 * The item lines above the first total add up to it: a check that needs no label at all.
 * Where the receipt rounds, they add up to the unrounded amount instead, so they are no help.
 */
function scoreItemSum(lines: readonly string[], amounts: readonly LabelledAmount[], tally: Tally): void {
  if (lines.some((line) => roundingWord.test(line.toUpperCase()))) return;
  const firstTotal = amounts.find((a) => a.role !== 'tax' && a.role !== 'discount');
  if (!firstTotal) return;
  let sum: string | null = '0.00';
  for (let index = 0; index < firstTotal.line && sum !== null; index += 1) {
    const line = lines[index] ?? '';
    if (roleOf(line.toUpperCase()) !== null) continue;
    const found = findAmounts(line);
    const last = found[found.length - 1];
    if (last) sum = addAmounts(sum, last.value);
  }
  if (sum !== '0.00') tally.confirm(sum, weights.itemSum, 'items');
}

/** A tax summary holds a few rows: rows further below are the footer. */
const summaryRowsMax = 6;

/**
 * Each row of a tax summary ("SR 6% 15.09 0.91", "Total : 20.00 1.20") prints an amount
 * before tax and its tax: together they are what that rate's goods cost, and where one rate
 * was charged, or on the summary's total row, that is the receipt total. Confirms only.
 */
function scoreTaxSummary(lines: readonly string[], tally: Tally): void {
  const start = lines.findIndex((l) => summaryPattern.test(l.toUpperCase()));
  if (start < 0) return;
  const sums = new Set<string>();
  for (const line of lines.slice(start + 1, start + 1 + summaryRowsMax)) {
    const amounts = findAmounts(line);
    const net = amounts[amounts.length - 2];
    const tax = amounts[amounts.length - 1];
    if (!net || !tax || compareAmounts(tax.value, net.value) >= 0) continue;
    const sum = addAmounts(net.value, tax.value);
    if (sum !== null) sums.add(sum);
  }
  for (const sum of sums) tally.confirm(sum, weights.arithmetic, 'arithmetic');
}

/**
 * Every amount that could be the total, with its evidence score, best first: every line
 * labelled as a total votes for its amount (final, rounded or tax-inclusive totals count
 * most, subtotals least), the payment block (tendered minus change) votes too, and sums of
 * other printed amounts confirm. Ties go to the later one, since the final total is printed
 * after the intermediate ones.
 */
export function totalCandidates(ocrLines: readonly (string | OcrLine)[]): TotalCandidate[] {
  const lines = ocrLines.map((l) => (typeof l === 'string' ? l : l.text));
  const amounts = labelledAmounts(ocrLines.map((l) => (typeof l === 'string' ? { text: l, confidence: 1 } : l)));
  const tally = new Tally();
  const unreadFinals = unreadFinalLabels(lines, amounts);
  const beforeUnreadFinal = (line: number) => unreadFinals.some((final) => final > line && final - line <= finalLabelReachLines);
  for (const amount of amounts) {
    const weight = labelWeight[amount.role];
    const partial = amount.role === 'subtotal' || (amount.role === 'total' && beforeUnreadFinal(amount.line));
    if (weight !== undefined) tally.add(amount.value, weight * trust(amount.confidence), amount.line, 'label', partial);
  }
  scorePayment(amounts, tally);
  scoreArithmetic(amounts, tally);
  scoreItemSum(lines, amounts, tally);
  scoreTaxSummary(lines, tally);
  if (lines.some((line) => roundingWord.test(line.toUpperCase()))) {
    for (const candidate of tally.candidates.values()) if (/[05]$/.test(candidate.value)) candidate.score += weights.roundedToNickel;
  }
  for (const candidate of tally.candidates.values()) candidate.score += weights.agreement * (candidate.evidence.size - 1);
  return [...tally.candidates.values()]
    .filter((candidate) => !candidate.partial)
    .map(({ value, score, line }) => ({ value, score, line }))
    .sort((a, b) => b.score - a.score || b.line - a.line);
}

/** The best-supported candidate, with a confidence from its score and its lead over the next. */
export function pickTotal(ranked: readonly TotalCandidate[], scoreFull = totalScoreForFullConfidence): FieldReading | null {
  const best = ranked[0];
  if (!best || best.score < totalScoreMin) return null;
  const runnerUp = Math.max(0, ranked[1]?.score ?? 0);
  const confidence = Math.min(1, best.score / scoreFull) * (best.score / (best.score + runnerUp));
  return { value: best.value, confidence: Math.round(confidence * 100) / 100 };
}

/** Lines that carry a money label (total, subtotal, tax, payment, change): where the total's evidence is printed. */
export function moneyLines(lines: readonly string[]): number[] {
  return lines.flatMap((line, index) => {
    const role = roleOf(line.toUpperCase());
    return role !== null && role !== 'count' ? [index] : [];
  });
}

/** Lines labelled as the total itself (not a subtotal, tax or payment): where it is printed. */
export function totalLines(lines: readonly string[]): number[] {
  return lines.flatMap((line, index) => {
    const role = roleOf(line.toUpperCase());
    return role === 'final' || role === 'total' ? [index] : [];
  });
}

/** Amounts printed as a total or a subtotal (before tax, discount or rounding), in print order. */
export function printedTotals(lines: readonly string[]): string[] {
  return labelledAmounts(lines.map((text) => ({ text, confidence: 1 })))
    .filter((amount) => amount.role === 'subtotal' || amount.role === 'total' || amount.role === 'final')
    .map((amount) => amount.value);
}
