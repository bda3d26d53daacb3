import type { FieldReading } from './field-reading.js';
import { repairNameMisreads } from './name-misreads.js';
import type { OcrLine } from './ocr-page.js';

/** The merchant's name is printed in the header: only this many lines are searched. */
export const merchantHeaderLinesMax = 12;
export const merchantNameLengthMax = 80;
/** A name wraps onto at most this many further lines. */
const wrappedLinesMax = 2;

/** Words that end a registered business name (Malaysia, Singapore, UK, US, ...). */
const legalSuffix = /\b(SDN\.?\s*BHD|S\/B|BHD|BERHAD|PLT|PTE\.?\s*LTD|LTD|LIMITED|LLC|INC|GMBH|AG|APS|A\/S|AB|BV|SARL|SRL)\.?$/;
/** Words that name a kind of shop: weaker than a legal form, but a name all the same. */
const tradeWord = /\b(ENTERPRISES?|TRADING|RESTAURANT|RESTORAN|STORES?|MART|MARKET|HARDWARE|BAKERY|BAKERIES|CAFE|KEDAI|PHARMACY|STATIONERY|BOOKS?|BISTRO|SUPERMARKET|HYPERMARKET|MARKETING|KITCHEN|FOOD|SEAFOOD|CASH\s*&\s*CARRY|SHOP|COMPANY|HOTEL|PIZZA|STATION|CENTRE|CENTER|INDUSTRIES|SERVICES)\b/;
/**
 * Header lines that are not the name: document titles, addresses, registration, contact,
 * greetings; in English, Malay, Danish, Swedish and German.
 */
const notAName =
  /^TAX\b|\b(TAX\s*INVOICE|INVOICE|RECEIPT|RESIT|CASH\s*SALES?|SIMPLIFIED|TEL|FAX|PHONE|GST|SST|REG|CO\.?\s*NO|COMPANY\s*NO|JALAN|JLN|LORONG|TAMAN|TMN|NO\.\s*\d|LOT\s*\d|EMAIL|WWW|HTTP|DATE|WELCOME|TABLE|CASHIER|THANK|GOODS|SOLD|RETURNABLE|REFUND|PLEASE|COME\s*AGAIN|MEMBER|POINTS|VOUCHER|OUTLET|BRANCH|SELANGOR|KUALA\s*LUMPUR|JOHOR|MALAYSIA|SEKSYEN|BANDAR|PERSIARAN|LEBUH(RAYA)?|KAMPUNG|KG|BATU|MILES|BLOK|BLOCK|FLOOR|LEVEL|STREET|ROAD|AVENUE|KVITTERING|KVITTO|KASSENBON|BON|RECHNUNG|QUITTUNG|BELEG|CVR|SE-?NR|ORG\.?\s*NR|MOMSREG\w*|UST-?ID\w*|STEUER-?NR|TLF|TELEFON|DATO|DATUM|TACK|TAK|DANKE|VELKOMMEN|V[ÄA]LKOMMEN|WILLKOMMEN)\b|\b\d{5}\b|\d[A-Z]?\s*,/;
/**
 * Where a franchise prints its legal owner ("Owned by", "Operated by"): the shop is known by
 * the name on top, and the owner's line below the label is not it.
 */
const ownerLabel = /\b(OWNED|OPERATED|MANAGED|FRANCHISED)\s*BY\b|\bA\s*COMPANY\s*OF\b/i;
/** A registration number printed after the name: "(123456-X)", "(Co. No 20154-T)", "{519537-X)". */
const registrationNumber = /\s*[({[]?[^(){}[\]]*\d{4,}[^(){}[\]]*[)}\]]?\s*$/;
/** The tail of a name wrapped onto the next line: "CO. (M) SDN BHD", "(SETIA ALAM) SDN BHD". */
const suffixOnly = /^(\([A-Z ]{1,24}\)\s*)?(CO\.?\s*)?(\(M\)\s*)?(SDN\.?\s*BHD|BHD|BERHAD|PTE\.?\s*LTD|LTD|S\/B)\.?$/i;

const weights = {
  legalSuffix: 3,
  tradeWord: 1.5,
  /** The first name-like line of the header, then less for each further one. */
  firstLine: 3,
  linePenalty: 0.25,
  capitals: 2,
  /** Scales the OCR line confidence above one half. */
  ocrConfidence: 2,
} as const;
/** A candidate this strong reads with full confidence. */
const scoreForFullConfidence = 6;
const scoreMin = 1;

export interface MerchantCandidate {
  value: string;
  score: number;
  /** The lines the name was read from, as indexes of the lines given. */
  lines: { first: number; last: number };
}

function letterCount(text: string): number {
  return (text.match(/\p{L}/gu) ?? []).length;
}

function clean(line: string): string {
  const text = line
    .replace(/[{[]/g, '(')
    .replace(/[}\]]/g, ')')
    // A bracket read twice: "CO. ((M) SDN BHD".
    .replace(/([()])\1+/g, '$1')
    // Letters of every alphabet stay: "Møbelhuset", "Bäckerei Müller".
    .replace(/[^\p{L}\p{N}_&'.,()/\- ]/gu, ' ')
    // An ampersand misread with a digit glued to it: "CASH 8& CARRY".
    .replace(/\b[8S]&/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    // Specks before the name read as short lower-case words or stray marks: "vg) NAME", "z . NAME".
    .replace(/^(?:(?:[a-z]{1,3}[).,]?|[a-z]?[).,:;'-]+)\s+)+(?=[A-Z0-9])/, '');
  return repairNameMisreads(text.replace(registrationNumber, ''));
}

/** A line that could be (part of) a business name: mostly letters, some words, not a label. */
function isNameLike(text: string): boolean {
  if (/\d[.,]\d{2}\b/.test(text)) return false;
  const letters = letterCount(text);
  if (letters < 4 || letters / Math.max(1, text.replace(/\s/g, '').length) < 0.6) return false;
  if (!/\p{L}{3,}/u.test(text)) return false;
  return !notAName.test(text.toUpperCase());
}

/** OCR of a smudge yields short lowercase fragments; printed names are mostly capitals. */
function upperShare(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.filter((c) => c === c.toUpperCase()).length / Math.max(1, letters.length);
}

function trimName(name: string): string {
  return name.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}).]+$/gu, '').slice(0, merchantNameLengthMax);
}

/** A header line, cleaned, with where OCR found it when it did. */
interface HeaderLine {
  text: string;
  confidence: number;
  /** Index of the line among those given. */
  index: number;
  place?: { left: number; right: number; height: number; firstWordPx: number };
}

function headerLine(line: OcrLine, index: number): HeaderLine {
  const text = clean(line.text);
  const words = line.words ?? [];
  const first = words[0];
  const last = words[words.length - 1];
  if (line.top === undefined || line.bottom === undefined || first?.left === undefined || first.right === undefined || last?.right === undefined) {
    return { text, confidence: line.confidence, index };
  }
  const place = { left: first.left, right: last.right, height: line.bottom - line.top, firstWordPx: first.right - first.left };
  return { text, confidence: line.confidence, index, place };
}

/** Lines of one name are printed alike: the same height within this factor. */
const wrappedHeightRatioMax = 1.33;

/**
 * The printer wrapped the line onto the next: the next line's first word would not have fit
 * after it. A line in another style (a brand in large or mixed letters over the legal name)
 * is not a continuation, however long it is.
 */
function wrapsOnto(line: HeaderLine, next: HeaderLine, printRight: number): boolean {
  if (!line.place || !next.place || upperShare(line.text) < 0.8 || upperShare(next.text) < 0.8) return false;
  const heights = line.place.height / Math.max(1, next.place.height);
  if (heights > wrappedHeightRatioMax || heights < 1 / wrappedHeightRatioMax) return false;
  const characterPx = (line.place.right - line.place.left) / Math.max(1, line.text.length);
  return line.place.right + characterPx + next.place.firstWordPx > printRight;
}

/**
 * A name wrapped over several lines: "AIK HUAT HARDWARE / ENTERPRISE (SETIA / ALAM) SDN BHD".
 * The next line joins while the name so far has no legal form yet and it leaves a bracket
 * open, or the next line is only the legal form ("CO. (M) SDN BHD"), or the printer ran out
 * of paper width (wrapsOnto).
 */
function wrappedName(header: readonly HeaderLine[], start: number, printRight: number): { text: string; end: number } {
  let text = header[start]?.text ?? '';
  let end = start;
  while (end + 1 < header.length && end - start < wrappedLinesMax && !legalSuffix.test(text.toUpperCase())) {
    const line = header[end];
    const next = header[end + 1];
    if (!line || !next) break;
    // A bracket opened inside the name ("ENTERPRISE (SETIA") and not closed; a leading one is a speck.
    const openBracket = (text.slice(1).match(/\(/g) ?? []).length > (text.match(/\)/g) ?? []).length;
    const continues = (openBracket || wrapsOnto(line, next, printRight)) && isNameLike(next.text) && !ownerLabel.test(next.text);
    if (!continues && !suffixOnly.test(next.text)) break;
    text = `${text} ${next.text}`;
    end += 1;
  }
  return { text, end };
}

/**
 * `rank` counts the name-like lines above, `index` every line above: the name is the first
 * thing printed, and a second name further down is usually the customer or the owner.
 */
function scoreName(text: string, confidence: number, rank: number, index: number): number {
  const upper = text.toUpperCase();
  let score = Math.max(0, weights.firstLine - rank - index * weights.linePenalty);
  if (legalSuffix.test(upper)) score += weights.legalSuffix;
  else if (tradeWord.test(upper)) score += weights.tradeWord;
  if (upperShare(text) >= 0.8) score += weights.capitals;
  return score + (confidence - 0.5) * weights.ocrConfidence;
}

/**
 * Every line of the header that could be the merchant's name, scored: a legal form (SDN BHD,
 * LTD, ...) or a trade word (TRADING, RESTAURANT, ...), being printed first, in capitals and
 * read with high OCR confidence count for it. Best first.
 */
export function merchantCandidates(lines: readonly OcrLine[]): MerchantCandidate[] {
  const header = lines
    .map(headerLine)
    // A sentence ("Thanks for your order!", "Hej! Tak for ...") is no name.
    .filter((l) => !/[!?]/.test(lines[l.index]?.text ?? ''))
    .filter((l) => l.text.length > 0)
    .slice(0, merchantHeaderLinesMax);
  const printRight = Math.max(0, ...header.map((l) => l.place?.right ?? 0));
  const found: MerchantCandidate[] = [];
  let rank = 0;
  for (let index = 0; index < header.length; index += 1) {
    const line = header[index];
    if (!line || suffixOnly.test(line.text) || !isNameLike(line.text)) continue;
    if (ownerLabel.test(header[index - 1]?.text ?? '') || ownerLabel.test(line.text)) continue;
    // Words without a single capital are scribbles or OCR of a smudge, not a printed name.
    if (!/[A-Z]/.test(line.text)) continue;
    const { text, end } = wrappedName(header, index, printRight);
    const confidence = Math.min(...header.slice(index, end + 1).map((l) => l.confidence));
    const lineRange = { first: line.index, last: header[end]?.index ?? line.index };
    found.push({ value: trimName(text), score: scoreName(text, confidence, rank, index), lines: lineRange });
    rank += 1;
  }
  return found.filter((c) => c.value.length > 0).sort((a, b) => b.score - a.score);
}

export function pickMerchant(ranked: readonly MerchantCandidate[]): FieldReading | null {
  const best = ranked[0];
  if (!best || best.score < scoreMin) return null;
  const runnerUp = Math.max(0, ranked[1]?.score ?? 0);
  const confidence = Math.min(1, best.score / scoreForFullConfidence) * Math.min(1, (2 * best.score) / (best.score + runnerUp));
  return { value: best.value, confidence: Math.round(confidence * 100) / 100 };
}
