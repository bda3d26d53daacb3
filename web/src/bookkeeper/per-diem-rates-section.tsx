// Daily allowances by country, which per diem claims are paid at.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiProblem } from '../api/problem';
import { getQuery, useAction } from '../api/queries';
import type { PerDiemRate } from '../api/types';
import { AmountField } from '../components/amount-field';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { regionNames } from '../expenses/new-expense-page';
import { formatMoney } from '../format';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

const ratesChanged = { invalidates: ['/api/v1/per-diem-rates'] } as const;

export function PerDiemRatesSection() {
  const rates = useQuery(getQuery('/api/v1/per-diem-rates'));
  return (
    <section className="card" aria-labelledby="per-diem-heading">
      <h2 id="per-diem-heading">{t('bookkeeper.perDiem.heading')}</h2>
      <Loaded query={rates} what={t('bookkeeper.perDiem.loading')}>
        {({ items }) => (items.length === 0 ? <Empty>{t('bookkeeper.perDiem.empty')}</Empty> : <RatesTable rates={items} />)}
      </Loaded>
      <SetRateForm />
    </section>
  );
}

function RatesTable({ rates }: { rates: PerDiemRate[] }) {
  const countryName = regionNames();
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('expenses.fields.country')}</th>
          <th scope="col" className="number">
            {t('bookkeeper.perDiem.aDay')}
          </th>
          <th scope="col">
            <span className="visually-hidden">{t('bookkeeper.perDiem.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {[...rates]
          .sort((a, b) => a.country.localeCompare(b.country))
          .map((rate) => (
            <RateRow key={rate.country} rate={rate} name={countryName(rate.country)} />
          ))}
      </tbody>
    </table>
  );
}

function RateRow({ rate, name }: { rate: PerDiemRate; name: string }) {
  const remove = useAction(() => ok(api.DELETE('/api/v1/per-diem-rates/{country}', { params: { path: { country: rate.country } } })), ratesChanged);
  return (
    <tr>
      <td data-label={t('expenses.fields.country')}>{name}</td>
      <td data-label={t('bookkeeper.perDiem.aDay')} className="number">
        {formatMoney(rate.dailyRate)}
      </td>
      <td className="actions-cell">
        <div className="row-actions">
          <button type="button" className="danger-outline small" disabled={remove.isPending} aria-label={t('bookkeeper.perDiem.removeNamed', { name })} onClick={() => remove.mutate()}>
            {t('bookkeeper.perDiem.remove')}
          </button>
          <ProblemMessage problem={remove.error} />
        </div>
      </td>
    </tr>
  );
}

function SetRateForm() {
  const { session } = useSession();
  const [country, setCountry] = useState('');
  const [dailyRate, setDailyRate] = useState('');
  const save = useAction(
    () => {
      const code = country.trim().toUpperCase();
      // The address names the country; a code that is no country is refused there.
      if (!/^[A-Z]{2}$/.test(code)) throw new ApiProblem(0, 'validation_failed', 'Error', 'the country is a two-letter ISO 3166 code, e.g. DE', 'country');
      return ok(api.PUT('/api/v1/per-diem-rates/{country}', { params: { path: { country: code } }, body: { dailyRate: dailyRate.trim() } }));
    },
    {
      ...ratesChanged,
      onSuccess: () => {
        setCountry('');
        setDailyRate('');
      },
    },
  );
  const problem = formProblem(save.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('bookkeeper.perDiem.setForm')} noValidate>
      <div className="two-column-form">
        <TextField label={t('bookkeeper.perDiem.countryCode')} required maxLength={2} autoComplete="off" value={country} onChange={setCountry} error={problem.forField('country')} hint={t('bookkeeper.perDiem.twoLetters')} />
        <AmountField label={t('bookkeeper.perDiem.dailyRate', { currency: session.company.currency })} required currency={session.company.currency} value={dailyRate} onChange={setDailyRate} error={problem.forField('dailyRate')} />
      </div>
      <ProblemMessage problem={problem.forForm(['country', 'dailyRate'])} />
      <button type="submit" className="secondary" disabled={save.isPending}>
        {save.isPending ? t('expenses.editor.saving') : t('bookkeeper.perDiem.set')}
      </button>
    </form>
  );
}
