// The person's own language, kept in this browser; "the company's" follows the company.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, type Language } from './locale';

/** Each language in its own words, so it is found whatever language is shown now. */
const languageNames: Record<Language, string> = { en: 'English', da: 'Dansk' };

interface LanguagePickerProps {
  chosen: Language | null;
  companyLanguage: Language;
  onChoose: (language: Language | null) => void;
}

export function LanguagePicker({ chosen, companyLanguage, onChoose }: LanguagePickerProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <footer className="language-picker small-text">
      <label htmlFor={id}>{t('language.label')}</label>{' '}
      <select id={id} value={chosen ?? ''} onChange={(event) => onChoose(languages.find((language) => language === event.target.value) ?? null)}>
        <option value="">{t('language.company', { language: languageNames[companyLanguage] })}</option>
        {languages.map((language) => (
          <option key={language} value={language} lang={language}>
            {languageNames[language]}
          </option>
        ))}
      </select>
    </footer>
  );
}
