/**
 * Merchant names compared across sources (OCR, card network descriptor, the user's typing)
 * are first normalised:
 * - upper case, with "&" read as "AND";
 * - punctuation dropped, so "S.K. HARDWARE" and "SK HARDWARE" agree;
 * - legal-form suffixes and markers dropped wherever they appear as whole words: SDN BHD,
 *   S/B (its short form), BHD, BERHAD, (M), PLT, PTE LTD, LTD, LIMITED, LLC, INC, CO, CORP,
 *   GMBH, APS, A/S;
 * - all whitespace removed, since OCR often splits or joins words ("YONG FATT"/"YONGFATT").
 */
const legalForms = /\b(SDN|BHD|BERHAD|M|PLT|PTE|LTD|LIMITED|LLC|INC|CO|CORP|CORPORATION|GMBH|APS)\b/g;
/** Forms written with a slash, dropped before punctuation is: "S/B" would otherwise leave "SB". */
const slashedLegalForms = /\b(S\/B|A\/S)(?![A-Z0-9])/g;

export function normaliseMerchantName(name: string): string {
  return name
    .toUpperCase()
    .replace(/&/g, ' AND ')
    .replace(slashedLegalForms, ' ')
    .replace(/[^A-Z0-9]+/g, ' ')
    .replace(legalForms, ' ')
    .replace(/\s+/g, '');
}
