// The message catalogues and the one i18next instance the app uses. Components call
// `useTranslation()` from react-i18next; code outside components (label tables) calls `t`
// from here. Both read the same instance, and the app is drawn again when the language
// changes (see locale-provider.tsx), so neither keeps an old language.
import i18next, { type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { da } from './da';
import { en } from './en';
import { languageOf, formatLocale, type Language } from './locale';

export const catalogues = { en, da } as const;

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, da: { translation: da } },
  lng: languageOf(formatLocale()),
  fallbackLng: 'en',
  supportedLngs: ['en', 'da'],
  // React escapes what it renders; escaping here too would show "&amp;".
  interpolation: { escapeValue: false },
  // The catalogues are bundled: set up at once, so the first render already has them.
  initAsync: false,
  returnNull: false,
});

/** Translates outside a component, in the current language. */
export const t: TFunction = i18n.t.bind(i18n) as TFunction;

export function setLanguage(language: Language): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
}
