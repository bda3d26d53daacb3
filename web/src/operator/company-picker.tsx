// Choosing the company a transfer was meant for: a search by name or payment reference (as
// typed, spaces and case ignored) over every company, the matches as radio buttons. A
// company whose wallet is in another currency than the transfer cannot take it.
import { useId, useState } from 'react';
import type { BankCompany } from '../api/types';
import { compactReference, inGroupsOfFour } from '../banking/bank-labels';
import { TextField } from '../components/fields';
import { t } from '../i18n/i18n';

/** Matches shown at once; more narrow down as the search grows. */
const matchesShownMax = 8;

export function matchesSearch(company: BankCompany, search: string): boolean {
  const text = search.trim().toLowerCase();
  if (text === '') return true;
  const reference = compactReference(search);
  return company.name.toLowerCase().includes(text) || (reference !== '' && compactReference(company.reference).includes(reference));
}

interface CompanyPickerProps {
  companies: readonly BankCompany[];
  /** The transfer's currency. */
  currency: string;
  chosen: string;
  onChoose: (companyId: string) => void;
  error: string | undefined;
}

export function CompanyPicker({ companies, currency, chosen, onChoose, error }: CompanyPickerProps) {
  const id = useId();
  const [search, setSearch] = useState('');
  const matches = companies.filter((company) => matchesSearch(company, search));
  const shown = matches.slice(0, matchesShownMax);
  return (
    <>
      <TextField label={t('operator.picker.find')} type="search" autoComplete="off" spellCheck={false} value={search} onChange={setSearch} hint={t('operator.picker.findHint')} />
      <fieldset className="company-choices" aria-describedby={error ? `${id}-error` : undefined}>
        <legend>{t('employee.company')}</legend>
        {shown.length === 0 && <p className="muted small-text">{t('operator.picker.noMatch', { search: search.trim() })}</p>}
        {shown.map((company) => {
          const otherCurrency = company.currency !== currency;
          return (
            <label key={company.id} className={`company-choice${otherCurrency ? ' unavailable' : ''}`}>
              <input type="radio" name={`${id}-company`} value={company.id} checked={chosen === company.id} disabled={otherCurrency} onChange={() => onChoose(company.id)} />
              <span>
                <span className="company-choice-name">{company.name}</span>
                <span className="muted small-text">
                  <code>{inGroupsOfFour(company.reference)}</code>
                  {otherCurrency && ` · ${t('operator.picker.walletIn', { currency: company.currency })}`}
                </span>
              </span>
            </label>
          );
        })}
        {matches.length > shown.length && <p className="muted small-text">{t('operator.picker.more', { count: matches.length - shown.length })}</p>}
        {error && (
          <small className="field-error" id={`${id}-error`}>
            {error}
          </small>
        )}
      </fieldset>
    </>
  );
}
