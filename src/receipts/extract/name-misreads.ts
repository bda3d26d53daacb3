/**
 * OCR's usual misreads in a business name, put right where the right reading is certain: the
 * legal form at its end, whose few spellings are known, and single letters of the words that
 * name a trade, which come from a short list. Any other word, the name proper above all, is
 * left as read: "SANYO" is never turned into "SANYU", since both could be names.
 */

/**
 * "SDN BHD" as OCR often misreads it at the end of a name: "SBN BHD", "5DN BHD", "SDN BID",
 * "SIN BHD", "5D BHD", "SDN. BH0", "SION BHD", "SDN BILD" (H as IL), "SDN EHD": two words,
 * each mostly right.
 */
const misreadSdnBhd = /\b([S58][A-Z0-9]{1,2}N|[S58][DO0][A-Z0-9]?)\.?\s*(B[A-Z0-9][DO0]|BH[A-Z0-9]|BIL[DO0]|[E8]H[DO0])\.?$/i;
/** "(M) SDN BHD", Malaysia's marker, misread as "(H)", "CM)", "(CM)", "(N". */
const misreadMalaysiaMarker = /\(?[(C]\s?[MHNW]\s?[)]?(?=\s*SDN\s*BHD\.?$)/i;
/** "CO." before the marker or the legal form, misread as "C0.". */
const misreadCompany = /\bC0\.?(?=\s*(\(M\)|SDN))/i;
/** "S/B", the short form of Sdn Bhd, misread as "S/R", "5/8". */
const misreadShortSdnBhd = /\b[S5]\/[BR8]$/i;
const legalFormAtEnd = /\b(SDN\.?\s*BHD|S\/B|BHD|BERHAD|LTD|LIMITED)\.?$/i;
/** A speck after the legal form, read as a letter or two: "SDN BHD ag", "SDN BHD SE". */
const trailingSpeck = /\s+\S{1,2}$/;

/**
 * Words naming a trade or a legal form, which OCR reads with one letter wrong: "KESTAURANT",
 * "ENTERFRISE". Only words of this length or more are put right, so that one letter changed
 * still leaves most of the word as printed.
 */
const tradeWords = [
  'BAKERIES', 'BAKERY', 'BERHAD', 'BOOKSTORE', 'CENTRE', 'CENTER', 'COMPANY', 'CORPORATION', 'DISTRIBUTION', 'ELECTRICAL',
  'ENTERPRISE', 'ENTERPRISES', 'HARDWARE', 'HOLDINGS', 'HYPERMARKET', 'INDUSTRIES', 'INTERNATIONAL', 'KITCHEN', 'LIMITED',
  'MARKETING', 'PHARMACY', 'RESTAURANT', 'RESTAURANTS', 'RESTORAN', 'SEAFOOD', 'SERVICES', 'STATION', 'STATIONERY',
  'SUPERMARKET', 'SUPPLIES', 'TRADING', 'VENTURE', 'VENTURES',
];
const tradeWordLengthMin = 6;
/** Letters OCR takes for one another in receipt print, both ways. */
const confusable = ['KR', 'FP', 'BE', 'B8', 'OD', 'O0', 'OU', 'OQ', 'CG', 'CO', 'IL', 'I1', 'L1', 'S5', 'HN', 'MN', 'TI', 'VY', 'UV', 'EF'];

function confused(a: string, b: string): boolean {
  return confusable.includes(a + b) || confusable.includes(b + a);
}

/** The trade word that `word` is with one confusable letter misread, if any. */
function tradeWordMisread(word: string): string | null {
  if (word.length < tradeWordLengthMin || word !== word.toUpperCase()) return null;
  for (const trade of tradeWords) {
    if (trade.length !== word.length || trade === word) continue;
    const differences = [...trade].flatMap((letter, i) => (letter === word[i] ? [] : [[letter, word[i] ?? '']]));
    const [only] = differences;
    if (differences.length === 1 && only && confused(only[0] ?? '', only[1] ?? '')) return trade;
  }
  return null;
}

function repairLegalForm(text: string): string {
  return text
    .replace(misreadSdnBhd, (suffix) => (/^SDN\.?\s*BHD\.?$/i.test(suffix) ? suffix : 'SDN BHD'))
    .replace(misreadMalaysiaMarker, '(M)')
    .replace(misreadCompany, 'CO.')
    .replace(misreadShortSdnBhd, 'S/B');
}

/** A name line with OCR's known misreads of legal forms and trade words put right. */
export function repairNameMisreads(text: string): string {
  const words = text.replace(/\b[A-Z0-9]+\b/g, (word) => tradeWordMisread(word) ?? word);
  const repaired = repairLegalForm(words);
  if (legalFormAtEnd.test(repaired) || !trailingSpeck.test(words)) return repaired;
  const withoutSpeck = repairLegalForm(words.replace(trailingSpeck, ''));
  return legalFormAtEnd.test(withoutSpeck) ? withoutSpeck : repaired;
}
