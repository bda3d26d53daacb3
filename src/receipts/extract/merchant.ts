import type { FieldReading } from './field-reading.js';

/** The merchant's name is printed in the header: only this many lines are searched. */
export const merchantHeaderLinesMax = 8;
export const merchantNameLengthMax = 80;

/** Words that end a registered business name (Malaysia, Singapore, UK, US, ...). */
const businessSuffix = /\b(SDN\.?\s*BHD|S\/B|BHD|BERHAD|PLT|PTE\.?\s*LTD|LTD|LIMITED|LLC|INC|GMBH|ENTERPRISES?|TRADING|RESTAURANT|RESTORAN|STORES?|MART|MARKET|HARDWARE|BAKERY|CAFE|KEDAI|PHARMACY|STATIONERY|BOOKS?|BISTRO|SUPERMARKET|HYPERMARKET)\b/;
/** Header lines that are not the name: document titles, addresses, registration and contact. */
const notAName = /^TAX\b|\b(TAX\s*INVOICE|INVOICE|RECEIPT|RESIT|CASH\s*SALES?|SIMPLIFIED|TEL|FAX|PHONE|GST|SST|REG|CO\.?\s*NO|COMPANY\s*NO|JALAN|JLN|LORONG|TAMAN|NO\.\s*\d|LOT\s*\d|EMAIL|WWW|HTTP|DATE|WELCOME|TABLE|CASHIER)\b|\b\d{5}\b/;
/** A registration number printed after the name: "(123456-X)", "(Co. No 20154-T)". */
const registrationNumber = /\s*\([^()]*\d{4,}[^()]*\)?\s*$/;
/** "SDN BHD" as OCR often misreads it: "SBN BHD", "5DN BHD", "SDN BID". */
const misreadSdnBhd = /\b[S58][A-Z0-9]{1,2}\.?\s*B[A-Z0-9]{1,2}\.?$/i;

function letterCount(text: string): number {
  return (text.match(/[A-Z]/gi) ?? []).length;
}

function clean(line: string): string {
  const text = line.replace(/[^\w&'.,()@/\- ]/g, ' ').replace(/\s+/g, ' ').trim();
  return text.replace(registrationNumber, '').replace(misreadSdnBhd, (suffix) => (/^SDN\.?\s*BHD\.?$/i.test(suffix) ? suffix : 'SDN BHD'));
}

/** A line that could be (part of) a business name: mostly letters, some words, not a label. */
function isNameLike(line: string): boolean {
  const text = clean(line);
  const letters = letterCount(text);
  if (letters < 4 || letters / Math.max(1, text.replace(/\s/g, '').length) < 0.6) return false;
  if (!/[A-Z]{3,}/i.test(text)) return false;
  return !notAName.test(text.toUpperCase());
}

/** OCR of a smudge yields short lowercase fragments; printed names are mostly capitals. */
function upperShare(text: string): number {
  const letters = text.match(/[A-Z]/gi) ?? [];
  return letters.filter((c) => c === c.toUpperCase()).length / Math.max(1, letters.length);
}

/**
 * The merchant: within the header, a line carrying a business suffix (SDN BHD, TRADING, ...)
 * wins; otherwise the first name-like line in capitals. A suffix alone on the next line
 * ("SDN BHD") is joined to the name above it.
 */
/** The tail of a name wrapped onto the next line: "CO. (M) SDN BHD", "(SETIA ALAM) SDN BHD". */
const suffixOnly = /^(\([A-Z ]{1,24}\)\s*)?(CO\.?\s*)?(\(M\)\s*)?(SDN\.?\s*BHD|BHD|BERHAD|PTE\.?\s*LTD|LTD|S\/B)\.?$/i;

export function findMerchant(lines: readonly string[]): FieldReading | null {
  const header = lines.map(clean).filter((l) => l.length > 0).slice(0, merchantHeaderLinesMax);
  const names = header
    .map((line, index) => ({ line: suffixOnly.test(header[index + 1] ?? '') ? `${line} ${header[index + 1]}` : line, index }))
    .filter(({ line }) => isNameLike(line) && !suffixOnly.test(line));
  const withSuffix = names.find(({ line }) => businessSuffix.test(line.toUpperCase()));
  const capitals = names.find(({ line }) => upperShare(line) >= 0.8);
  const pick = withSuffix ?? capitals;
  if (!pick) return null;
  const name = pick.line.replace(/^[^A-Z0-9]+|[^A-Z0-9).]+$/gi, '').slice(0, merchantNameLengthMax);
  const confidence = pick === withSuffix ? 0.8 : 0.5;
  return { value: name, confidence };
}
