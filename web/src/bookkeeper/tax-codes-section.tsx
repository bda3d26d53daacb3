// VAT codes: a rate, the share of the VAT that may be deducted, the VAT account and the DATEV
// key. A code is never changed once added (bookings refer to it); it is retired instead.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { TaxCode } from '../api/types';
import { AmountField } from '../components/amount-field';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { t } from '../i18n/i18n';

const fieldNames = ['code', 'name', 'rate', 'deductible', 'vatAccountCode', 'datevTaxKey'] as const;
const taxCodesChanged = { invalidates: ['/api/v1/tax-codes'] } as const;

export function TaxCodesSection() {
  const taxCodes = useQuery(getQuery('/api/v1/tax-codes'));
  return (
    <section className="card wide-card" aria-labelledby="tax-codes-heading">
      <h2 id="tax-codes-heading">{t('bookkeeper.taxCodes.heading')}</h2>
      <Loaded query={taxCodes} what={t('bookkeeper.taxCodes.loading')}>
        {({ items }) => (items.length === 0 ? <Empty>{t('bookkeeper.taxCodes.empty')}</Empty> : <TaxCodesTable codes={items} />)}
      </Loaded>
      <AddTaxCodeForm />
    </section>
  );
}

function TaxCodesTable({ codes }: { codes: TaxCode[] }) {
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('bookkeeper.taxCodes.code')}</th>
          <th scope="col">{t('bookkeeper.taxCodes.name')}</th>
          <th scope="col" className="number">
            {t('bookkeeper.taxCodes.rate')}
          </th>
          <th scope="col" className="number">
            {t('bookkeeper.taxCodes.deductible')}
          </th>
          <th scope="col">{t('bookkeeper.taxCodes.vatAccount')}</th>
          <th scope="col">{t('bookkeeper.taxCodes.datevKey')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('bookkeeper.taxCodes.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {codes.map((code) => (
          <TaxCodeRow key={code.id} code={code} />
        ))}
      </tbody>
    </table>
  );
}

function TaxCodeRow({ code }: { code: TaxCode }) {
  const setActive = useAction((active: boolean) => ok(api.PATCH('/api/v1/tax-codes/{id}', { params: { path: { id: code.id } }, body: { active } })), taxCodesChanged);
  return (
    <tr className={code.active ? undefined : 'retired'}>
      <td data-label={t('bookkeeper.taxCodes.code')}>
        <code>{code.code}</code>
        {!code.active && <span className="badge">{t('bookkeeper.tags.retired')}</span>}
      </td>
      <td data-label={t('bookkeeper.taxCodes.name')}>{code.name}</td>
      <td data-label={t('bookkeeper.taxCodes.rate')} className="number">
        {code.rate} %
      </td>
      <td data-label={t('bookkeeper.taxCodes.deductible')} className="number">
        {code.deductible} %
      </td>
      <td data-label={t('bookkeeper.taxCodes.vatAccount')}>{code.vatAccountCode ?? '—'}</td>
      <td data-label={t('bookkeeper.taxCodes.datevKey')}>{code.datevTaxKey ?? '—'}</td>
      <td className="actions-cell">
        <div className="row-actions">
          <button type="button" className={code.active ? 'danger-outline small' : 'secondary small'} disabled={setActive.isPending} aria-label={code.active ? t('bookkeeper.taxCodes.retireNamed', { name: code.code }) : t('bookkeeper.taxCodes.restoreNamed', { name: code.code })} onClick={() => setActive.mutate(!code.active)}>
            {code.active ? t('bookkeeper.taxCodes.retire') : t('bookkeeper.taxCodes.restore')}
          </button>
          <ProblemMessage problem={setActive.error} />
        </div>
      </td>
    </tr>
  );
}

const emptyTaxCode = { code: '', name: '', rate: '', deductible: '100', vatAccountCode: '', datevTaxKey: '' };

function AddTaxCodeForm() {
  const [form, setForm] = useState(emptyTaxCode);
  const set = (name: keyof typeof emptyTaxCode) => (value: string) => setForm({ ...form, [name]: value });
  const body = {
    code: form.code.trim(),
    name: form.name.trim(),
    rate: form.rate.trim(),
    deductible: form.deductible.trim() || '100',
    vatAccountCode: form.vatAccountCode.trim() || null,
    datevTaxKey: form.datevTaxKey.trim() === '' ? null : Number(form.datevTaxKey.trim()),
  };
  const add = useAction(() => ok(api.POST('/api/v1/tax-codes', { body })), { ...taxCodesChanged, onSuccess: () => setForm(emptyTaxCode) });
  const problem = formProblem(add.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('bookkeeper.taxCodes.addHeading')} noValidate>
      <h3>{t('bookkeeper.taxCodes.addHeading')}</h3>
      <div className="two-column-form">
        <TextField label={t('expenses.fields.taxCode')} required autoComplete="off" value={form.code} onChange={set('code')} error={problem.forField('code')} hint={t('bookkeeper.taxCodes.example')} />
        <TextField label={t('bookkeeper.taxCodes.codeName')} required autoComplete="off" value={form.name} onChange={set('name')} error={problem.forField('name')} />
        <AmountField label={t('bookkeeper.taxCodes.ratePercent')} required decimals={2} value={form.rate} onChange={set('rate')} error={problem.forField('rate')} />
        <AmountField label={t('bookkeeper.taxCodes.deductibleShare')} decimals={2} value={form.deductible} onChange={set('deductible')} error={problem.forField('deductible')} hint={t('bookkeeper.taxCodes.deductibleHint')} />
        <TextField label={t('bookkeeper.taxCodes.vatAccountCode')} autoComplete="off" value={form.vatAccountCode} onChange={set('vatAccountCode')} error={problem.forField('vatAccountCode')} />
        <TextField label={t('bookkeeper.taxCodes.datevTaxKey')} inputMode="numeric" autoComplete="off" value={form.datevTaxKey} onChange={set('datevTaxKey')} error={problem.forField('datevTaxKey')} />
      </div>
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={add.isPending}>
        {add.isPending ? t('expenses.new.adding') : t('bookkeeper.taxCodes.add')}
      </button>
    </form>
  );
}
