// Puts the company's locale and the person's language in force for everything under it. The
// session is read from the query cache (where use-session-state.ts keeps it), so the app
// switches to the company's locale as soon as someone logs in, and back to the browser's
// when they log out. A change of locale or language draws the app anew (a new key), so
// formatted amounts and texts outside components follow it too.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { queryKeyOf } from '../api/queries';
import type { Session } from '../api/types';
import { i18n, setLanguage } from './i18n';
import { chooseLanguage, chosenLanguage, companyLocale, languageOf, setFormatLocale, type Language } from './locale';
import { LanguagePicker } from './language-picker';

const sessionKey = queryKeyOf('/api/v1/session');

function useCachedSession(): Session | null {
  const queryClient = useQueryClient();
  return useSyncExternalStore(
    (changed) => queryClient.getQueryCache().subscribe(changed),
    () => queryClient.getQueryData<Session | null>(sessionKey) ?? null,
  );
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const session = useCachedSession();
  const [chosen, setChosen] = useState<Language | null>(chosenLanguage);
  const locale = companyLocale(session);
  const language = chosen ?? languageOf(locale);
  // Set before the children render (they are drawn anew under the key below), not in an
  // effect, so no amount is ever written in the previous locale.
  setFormatLocale(locale);
  setLanguage(language);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  function choose(next: Language | null) {
    chooseLanguage(next);
    setChosen(next);
  }

  return (
    <I18nextProvider i18n={i18n}>
      <div className="locale-root" key={`${locale}|${language}`}>
        {children}
        <LanguagePicker chosen={chosen} companyLanguage={languageOf(locale)} onChoose={choose} />
      </div>
    </I18nextProvider>
  );
}
