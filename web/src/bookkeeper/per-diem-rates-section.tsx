// Daily allowances by country, which per diem claims are paid at.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ApiProblem, asProblem } from '../api/problem';
import type { PerDiemRate } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { useResource } from '../components/use-resource';
import { regionNames } from '../expenses/new-expense-page';
import { formatMoney } from '../format';
import { useSession } from '../session';

export function PerDiemRatesSection() {
  const rates = useResource(() => api.get<{ items: PerDiemRate[] }>('/per-diem-rates'), 'per-diem-rates');
  const [items, setItems] = useState<PerDiemRate[] | null>(null);
  const { resource } = rates;
  const shown = items ?? (resource.status === 'ready' ? resource.data.items : []);
  const countryName = regionNames();
  const set = (rate: PerDiemRate) => setItems([...shown.filter((item) => item.country !== rate.country), rate].sort((a, b) => a.country.localeCompare(b.country)));
  return (
    <section className="card" aria-labelledby="per-diem-heading">
      <h2 id="per-diem-heading">Per diem rates</h2>
      {resource.status === 'loading' && <Loading what="the per diem rates" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={rates.reload} />}
      {resource.status === 'ready' &&
        (shown.length === 0 ? (
          <Empty>No rates yet: people can claim a per diem once their country has one.</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col" className="number">
                  A day
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((rate) => (
                <RateRow key={rate.country} rate={rate} name={countryName(rate.country)} onRemoved={() => setItems(shown.filter((item) => item.country !== rate.country))} />
              ))}
            </tbody>
          </table>
        ))}
      <SetRateForm onSet={set} />
    </section>
  );
}

function RateRow({ rate, name, onRemoved }: { rate: PerDiemRate; name: string; onRemoved: () => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function remove() {
    setBusy(true);
    setProblem(null);
    try {
      await api.delete(`/per-diem-rates/${encodeURIComponent(rate.country)}`);
      onRemoved();
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  }
  return (
    <tr>
      <td data-label="Country">{name}</td>
      <td data-label="A day" className="number">
        {formatMoney(rate.dailyRate)}
      </td>
      <td className="actions-cell">
        <div className="row-actions">
          <button type="button" className="danger-outline small" disabled={busy} aria-label={`Remove the rate of ${name}`} onClick={remove}>
            Remove
          </button>
          <ProblemMessage problem={problem} />
        </div>
      </td>
    </tr>
  );
}

function SetRateForm({ onSet }: { onSet: (rate: PerDiemRate) => void }) {
  const { session } = useSession();
  const [country, setCountry] = useState('');
  const [dailyRate, setDailyRate] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      const code = country.trim().toUpperCase();
      // The address names the country; a code that is no country is refused there.
      if (!/^[A-Z]{2}$/.test(code)) throw new ApiProblem(0, 'validation_failed', 'Error', 'the country is a two-letter ISO 3166 code, e.g. DE', 'country');
      onSet(await api.put<PerDiemRate>(`/per-diem-rates/${encodeURIComponent(code)}`, { dailyRate: dailyRate.trim() }));
      setCountry('');
      setDailyRate('');
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Set a per diem rate" noValidate>
      <div className="two-column-form">
        <TextField label="Country code" required maxLength={2} autoComplete="off" value={country} onChange={setCountry} error={problem.forField('country')} hint="Two letters, e.g. DE" />
        <TextField label={`Daily rate (${session.company.currency})`} required inputMode="decimal" autoComplete="off" value={dailyRate} onChange={setDailyRate} error={problem.forField('dailyRate')} />
      </div>
      <ProblemMessage problem={problem.forForm(['country', 'dailyRate'])} />
      <button type="submit" className="secondary" disabled={busy}>
        {busy ? 'Saving…' : 'Set rate'}
      </button>
    </form>
  );
}
