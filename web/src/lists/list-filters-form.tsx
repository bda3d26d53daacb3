// The filters above a company-wide list, in a "Filters" disclosure: open on a wide screen,
// folded on a phone. The form keeps a draft; "Apply" (or Enter) puts it in the address, which
// reloads the list. Beside it, the download of the filtered list as CSV.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AmountField } from '../components/amount-field';
import { SelectField, TextField } from '../components/fields';
import type { FilterValues, ListFiltersHandle } from './list-filters';
import { csvRowsMax } from './use-filtered-pages';
import './lists.css';

export interface FilterField<Name extends string> {
  name: Name;
  label: string;
  kind: 'search' | 'select' | 'date' | 'amount';
  /** The choices of a select; the form adds "Any" (or `unsetLabel`) first. */
  options?: readonly { value: string; label: string }[];
  /** What no choice means where it is not "Any" (a sort's default: "Date"). */
  unsetLabel?: string;
}

interface ListFiltersFormProps<Name extends string> {
  /** Names the form (and its heading) for screen readers: "Filter transactions". */
  label: string;
  fields: readonly FilterField<Name>[];
  filters: ListFiltersHandle<Name>;
  csvHref: string;
  csvFile: string;
  /** How many items the filters find, where the API counts them. */
  total?: number | null;
}

const wideScreen = '(min-width: 48rem)';

function opensAtFirst(): boolean {
  return typeof window.matchMedia !== 'function' || window.matchMedia(wideScreen).matches;
}

export function ListFiltersForm<Name extends string>({ label, fields, filters, csvHref, csvFile, total = null }: ListFiltersFormProps<Name>) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<FilterValues<Name>>(filters.values);
  const [applied, setApplied] = useState(filters.values);
  if (applied !== filters.values) {
    // The address changed (Back, a pasted link): the form shows what the list is filtered by.
    setApplied(filters.values);
    setDraft(filters.values);
  }
  const active = Object.keys(filters.values).filter((name) => fields.some((field) => field.name === name)).length;

  function submit(event: FormEvent) {
    event.preventDefault();
    filters.apply(draft);
  }
  const set = (name: Name) => (value: string) => setDraft({ ...draft, [name]: value });

  return (
    <details className="list-filters" open={opensAtFirst()}>
      <summary>{active === 0 ? t('lists.filters.summary') : t('lists.filters.summaryActive', { count: active })}</summary>
      <form className="list-filters-form" role="search" aria-label={label} onSubmit={submit}>
        <div className="list-filters-fields">
          {fields.map((field) => (
            <FilterInput key={field.name} field={field} value={draft[field.name] ?? ''} onChange={set(field.name)} />
          ))}
        </div>
        <div className="list-filters-actions">
          <button type="submit" className="primary">
            {t('lists.filters.apply')}
          </button>
          <button type="button" className="secondary" onClick={() => filters.apply({})} disabled={active === 0}>
            {t('lists.filters.clear')}
          </button>
          {total !== null && total > csvRowsMax ? (
            <p className="muted small-text">{t('lists.filters.csvTooMany', { max: csvRowsMax })}</p>
          ) : (
            <a className="button-link secondary" href={csvHref} download={csvFile}>
              {t('lists.filters.csv')}
            </a>
          )}
        </div>
        {total !== null && (
          <p className="muted small-text" role="status">
            {t('lists.filters.found', { count: total })}
          </p>
        )}
      </form>
    </details>
  );
}

function FilterInput<Name extends string>({ field, value, onChange }: { field: FilterField<Name>; value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  switch (field.kind) {
    case 'search':
      return <TextField label={field.label} type="search" value={value} onChange={onChange} />;
    case 'date':
      return <TextField label={field.label} type="date" value={value} onChange={onChange} />;
    case 'amount':
      return <AmountField label={field.label} value={value} onChange={onChange} />;
    case 'select':
      return <SelectField label={field.label} value={value} onChange={onChange} options={[{ value: '', label: field.unsetLabel ?? t('lists.filters.any') }, ...(field.options ?? [])]} />;
  }
}
