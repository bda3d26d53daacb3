// Which languages a company's receipts are read in. Tesseract reads only the words of the
// languages it was started with, so a Danish company's "I alt" and "Købt" need Danish data
// beside the English that every receipt may be printed in (web shops, travel abroad).

/** Tesseract's names of the languages Outlay ships data for (npm @tesseract.js-data/*). */
export const receiptLanguages = ['eng', 'dan', 'swe', 'deu'] as const;
export type ReceiptLanguage = (typeof receiptLanguages)[number];

/** ISO 639-1 language of a BCP 47 locale to Tesseract's language, for those Outlay has data for. */
const byLanguage: Record<string, ReceiptLanguage> = { da: 'dan', sv: 'swe', de: 'deu' };

/**
 * The languages to read a company's receipts in, by its locale: the locale's language when
 * it is one with data, then English always. An unknown or English locale reads English.
 * Tesseract tries the first language first and the next only for words it reads badly; with
 * English first it keeps "BACKEREI" for "BÄCKEREI", since its English model reads the word
 * well enough without the dots.
 */
export function receiptLanguagesOf(locale: string | null | undefined): ReceiptLanguage[] {
  const language = byLanguage[(locale ?? '').slice(0, 2).toLowerCase()];
  return language ? [language, 'eng'] : ['eng'];
}

/** Whether 03/04/2026 is the 3rd of April (day first, everywhere but the US) in this locale. */
export function dayFirstOf(locale: string | null | undefined): boolean {
  return (locale ?? '').toLowerCase() !== 'en-us';
}
