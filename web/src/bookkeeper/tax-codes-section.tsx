// VAT codes: a rate, the share of the VAT that may be deducted, the VAT account and the DATEV
// key. A code is never changed once added (bookings refer to it); it is retired instead.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { TaxCode } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';

const fieldNames = ['code', 'name', 'rate', 'deductible', 'vatAccountCode', 'datevTaxKey'] as const;

export function TaxCodesSection() {
  const taxCodes = useResource(() => api.get<{ items: TaxCode[] }>('/tax-codes'), 'tax-codes');
  const [items, setItems] = useState<TaxCode[] | null>(null);
  const { resource } = taxCodes;
  const shown = items ?? (resource.status === 'ready' ? resource.data.items : []);
  const upsert = (code: TaxCode) => setItems(shown.some((item) => item.id === code.id) ? shown.map((item) => (item.id === code.id ? code : item)) : [...shown, code]);
  return (
    <section className="card wide-card" aria-labelledby="tax-codes-heading">
      <h2 id="tax-codes-heading">Tax codes</h2>
      {resource.status === 'loading' && <Loading what="the tax codes" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={taxCodes.reload} />}
      {resource.status === 'ready' &&
        (shown.length === 0 ? (
          <Empty>No tax codes yet. Without one, expenses are booked without VAT.</Empty>
        ) : (
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
              {shown.map((code) => (
                <TaxCodeRow key={code.id} code={code} onChanged={upsert} />
              ))}
            </tbody>
          </table>
        ))}
      <AddTaxCodeForm onAdded={upsert} />
    </section>
  );
}

function TaxCodeRow({ code, onChanged }: { code: TaxCode; onChanged: (code: TaxCode) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function setActive(active: boolean) {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.patch<TaxCode>(`/tax-codes/${encodeURIComponent(code.id)}`, { active }));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }
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
          <button type="button" className={code.active ? 'danger-outline small' : 'secondary small'} disabled={busy} aria-label={`${code.active ? 'Retire' : 'Restore'} ${code.code}`} onClick={() => void setActive(!code.active)}>
            {code.active ? 'Retire' : 'Restore'}
          </button>
          <ProblemMessage problem={problem} />
        </div>
      </td>
    </tr>
  );
}

function AddTaxCodeForm({ onAdded }: { onAdded: (code: TaxCode) => void }) {
  const empty = { code: '', name: '', rate: '', deductible: '100', vatAccountCode: '', datevTaxKey: '' };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();
  const set = (name: keyof typeof empty) => (value: string) => setForm({ ...form, [name]: value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onAdded(
        await api.post<TaxCode>('/tax-codes', {
          code: form.code.trim(),
          name: form.name.trim(),
          rate: form.rate.trim(),
          deductible: form.deductible.trim() || '100',
          vatAccountCode: form.vatAccountCode.trim() || null,
          datevTaxKey: form.datevTaxKey.trim() === '' ? null : Number(form.datevTaxKey.trim()),
        }),
      );
      setForm(empty);
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a tax code" noValidate>
      <h3>Add a tax code</h3>
      <div className="two-column-form">
        <TextField label="Tax code" required autoComplete="off" value={form.code} onChange={set('code')} error={problem.forField('code')} hint="For example VAT25" />
        <TextField label="Tax code name" required autoComplete="off" value={form.name} onChange={set('name')} error={problem.forField('name')} />
        <TextField label="Rate (%)" required inputMode="decimal" autoComplete="off" value={form.rate} onChange={set('rate')} error={problem.forField('rate')} />
        <TextField label="Deductible share (%)" inputMode="decimal" autoComplete="off" value={form.deductible} onChange={set('deductible')} error={problem.forField('deductible')} hint="100 unless part of the VAT may not be deducted (e.g. 25 for Danish restaurant VAT)." />
        <TextField label="VAT account code" autoComplete="off" value={form.vatAccountCode} onChange={set('vatAccountCode')} error={problem.forField('vatAccountCode')} />
        <TextField label="DATEV tax key" inputMode="numeric" autoComplete="off" value={form.datevTaxKey} onChange={set('datevTaxKey')} error={problem.forField('datevTaxKey')} />
      </div>
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={busy}>
        {busy ? 'Adding…' : 'Add tax code'}
      </button>
    </form>
  );
}
