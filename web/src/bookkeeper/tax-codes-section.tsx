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

const fieldNames = ['code', 'name', 'rate', 'deductible', 'vatAccountCode', 'datevTaxKey'] as const;
const taxCodesChanged = { invalidates: ['/api/v1/tax-codes'] } as const;

export function TaxCodesSection() {
  const taxCodes = useQuery(getQuery('/api/v1/tax-codes'));
  return (
    <section className="card wide-card" aria-labelledby="tax-codes-heading">
      <h2 id="tax-codes-heading">Tax codes</h2>
      <Loaded query={taxCodes} what="the tax codes">
        {({ items }) => (items.length === 0 ? <Empty>No tax codes yet. Without one, expenses are booked without VAT.</Empty> : <TaxCodesTable codes={items} />)}
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
          <th scope="col">Code</th>
          <th scope="col">Name</th>
          <th scope="col" className="number">
            Rate
          </th>
          <th scope="col" className="number">
            Deductible
          </th>
          <th scope="col">VAT account</th>
          <th scope="col">DATEV key</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
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
      <td data-label="Code">
        <code>{code.code}</code>
        {!code.active && <span className="badge">Retired</span>}
      </td>
      <td data-label="Name">{code.name}</td>
      <td data-label="Rate" className="number">
        {code.rate} %
      </td>
      <td data-label="Deductible" className="number">
        {code.deductible} %
      </td>
      <td data-label="VAT account">{code.vatAccountCode ?? '—'}</td>
      <td data-label="DATEV key">{code.datevTaxKey ?? '—'}</td>
      <td className="actions-cell">
        <div className="row-actions">
          <button type="button" className={code.active ? 'danger-outline small' : 'secondary small'} disabled={setActive.isPending} aria-label={`${code.active ? 'Retire' : 'Restore'} ${code.code}`} onClick={() => setActive.mutate(!code.active)}>
            {code.active ? 'Retire' : 'Restore'}
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
    <form className="inline-form" onSubmit={submit} aria-label="Add a tax code" noValidate>
      <h3>Add a tax code</h3>
      <div className="two-column-form">
        <TextField label="Tax code" required autoComplete="off" value={form.code} onChange={set('code')} error={problem.forField('code')} hint="For example VAT25" />
        <TextField label="Tax code name" required autoComplete="off" value={form.name} onChange={set('name')} error={problem.forField('name')} />
        <AmountField label="Rate (%)" required decimals={2} value={form.rate} onChange={set('rate')} error={problem.forField('rate')} />
        <AmountField label="Deductible share (%)" decimals={2} value={form.deductible} onChange={set('deductible')} error={problem.forField('deductible')} hint="100 unless part of the VAT may not be deducted (e.g. 25 for Danish restaurant VAT)." />
        <TextField label="VAT account code" autoComplete="off" value={form.vatAccountCode} onChange={set('vatAccountCode')} error={problem.forField('vatAccountCode')} />
        <TextField label="DATEV tax key" inputMode="numeric" autoComplete="off" value={form.datevTaxKey} onChange={set('datevTaxKey')} error={problem.forField('datevTaxKey')} />
      </div>
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add tax code'}
      </button>
    </form>
  );
}
