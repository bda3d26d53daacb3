// Which locale the app writes amounts and dates in, and which language it speaks. Both follow
// the company: its locale decides how "4,01 €" is written and, unless the person picked a
// language of their own (kept in this browser), which catalogue is shown.
import type { Session } from '../api/types';

/** The languages with a catalogue, in the order the language picker offers them. */
export const languages = ['en', 'da'] as const;
export type Language = (typeof languages)[number];

const fallbackLocale = 'en-GB';
const chosenLanguageKey = 'outlay.language';

function isLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    // A malformed tag throws a RangeError.
    return false;
  }
}

/** The browser's first language, where there is a browser (tests run in Node 20 without one). */
function browserLocale(): string {
  const browser = typeof navigator === 'undefined' ? undefined : (navigator.languages?.[0] ?? navigator.language);
  return browser && isLocale(browser) ? browser : fallbackLocale;
}

/**
 * The company's locale ("da-DK"): what amounts and dates are written in, and the language a
 * person sees unless they chose another. The single place that decides it: the session
 * carries the company's setting; before anyone is signed in, the browser's language stands in.
 */
export function companyLocale(session: Session | null | undefined): string {
  const fromCompany = session?.company.locale;
  if (fromCompany && isLocale(fromCompany)) return fromCompany;
  return browserLocale();
}

/** The catalogue for a locale: Danish for "da", "da-DK"; English for everything else. */
export function languageOf(locale: string): Language {
  const primary = locale.toLowerCase().split('-')[0];
  return languages.find((language) => language === primary) ?? 'en';
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A browser that blocks storage throws on access; the choice is then not kept.
    return null;
  }
}

/** The language the person picked in this browser, if any. */
export function chosenLanguage(): Language | null {
  const chosen = storage()?.getItem(chosenLanguageKey);
  return languages.find((language) => language === chosen) ?? null;
}

/** Keeps the person's language in this browser; null goes back to the company's. */
export function chooseLanguage(language: Language | null): void {
  const store = storage();
  if (!store) return;
  if (language) store.setItem(chosenLanguageKey, language);
  else store.removeItem(chosenLanguageKey);
}

let currentLocale = browserLocale();

/** The locale amounts and dates are written in now (the company's, once it is known). */
export function formatLocale(): string {
  return currentLocale;
}

export function setFormatLocale(locale: string): void {
  currentLocale = locale;
}
