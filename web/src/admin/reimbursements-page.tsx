// Paying people back for what they paid themselves: what is owed to each person (and who
// has no bank account yet), a payout batch gathering it as a SEPA credit transfer file
// (pain.001) for the company's bank, and marking the batch paid once the bank has run it.
// Below, the company's account the money is paid from.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Owed, Page, PayoutBatch, PayoutBatchCreated, Person } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages, type PagesHandle } from '../components/use-pages';
import { useResource, type ResourceHandle } from '../components/use-resource';
import { todayIn } from '../dates';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { useSession } from '../session';
import { DebtorAccountSection } from './debtor-account-section';

const peoplePageSize = 200;
const batchesPageSize = 20;

const batchStateLabels: Record<PayoutBatch['state'], string> = {
  created: 'To pay',
  paid: 'Paid',
  executed: 'Paid, seen on the statement',
};

export function ReimbursementsPage() {
  const owed = useResource(() => api.get<{ items: Owed[] }>('/payouts/owed'), 'payouts-owed');
  const people = useResource(() => api.get<Page<Person>>('/people', { limit: peoplePageSize }), 'people');
  const batches = usePages<PayoutBatch>('/payout-batches', batchesPageSize);
  const nameOf = (userId: string) => (people.resource.status === 'ready' ? (people.resource.data.items.find((person) => person.id === userId)?.name ?? 'Someone') : '…');
  return (
    <>
      <h1 className="page-title">Reimbursements</h1>
      <div className="dashboard">
        <OwedSection owed={owed} nameOf={nameOf} onBatchCreated={(batch) => {
          batches.upsert(batch);
          owed.reload();
        }} />
        <BatchesSection batches={batches} nameOf={nameOf} />
        <DebtorAccountSection />
      </div>
    </>
  );
}

interface OwedSectionProps {
  owed: ResourceHandle<{ items: Owed[] }>;
  nameOf: (userId: string) => string;
  onBatchCreated: (batch: PayoutBatch) => void;
}

function OwedSection({ owed, nameOf, onBatchCreated }: OwedSectionProps) {
  const { resource } = owed;
  const [created, setCreated] = useState<PayoutBatchCreated | null>(null);
  return (
    <section className="card wide-card" aria-labelledby="owed-heading">
      <div className="card-title-row">
        <h2 id="owed-heading">Owed to people</h2>
        <button type="button" className="link-button" onClick={owed.reload} disabled={resource.status === 'loading'}>
          Refresh
        </button>
      </div>
      {created && <CreatedNotice created={created} nameOf={nameOf} />}
      {resource.status === 'loading' && <Loading what="what is owed" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={owed.reload} />}
      {resource.status === 'ready' &&
        (resource.data.items.length === 0 ? (
          <Empty>Nothing is owed: approved out-of-pocket expenses show up here until they are paid back.</Empty>
        ) : (
          <>
            <table className="responsive-table">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col" className="number">
                    Owed
                  </th>
                  <th scope="col" className="number">
                    Expenses
                  </th>
                  <th scope="col">Bank account</th>
                </tr>
              </thead>
              <tbody>
                {resource.data.items.map((row) => (
                  <tr key={row.userId}>
                    <td data-label="Person">{nameOf(row.userId)}</td>
                    <td data-label="Owed" className="number">
                      {formatMoney(row.amount)}
                    </td>
                    <td data-label="Expenses" className="number">
                      {row.expenseCount}
                    </td>
                    <td data-label="Bank account">{row.hasPayeeAccount ? <span className="badge badge-active">On file</span> : <span className="badge badge-flag">No bank account</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {resource.data.items.some((row) => !row.hasPayeeAccount) && (
              <p className="notice warning small-text">People without a bank account are left out of a payout until they add one under Expenses.</p>
            )}
            <CreateBatchForm
              onCreated={(result) => {
                setCreated(result);
                onBatchCreated(result.batch);
              }}
            />
          </>
        ))}
    </section>
  );
}

function CreatedNotice({ created, nameOf }: { created: PayoutBatchCreated; nameOf: (userId: string) => string }) {
  const { batch, skipped } = created;
  return (
    <div className="notice success" role="status">
      <p>
        Payout batch of {formatMoney(batch.total)} to {batch.itemCount} {batch.itemCount === 1 ? 'person' : 'people'} created: download its pain.001 file below and send it to the bank.
      </p>
      {skipped.length > 0 && (
        <p className="small-text">
          Left out, no bank account: {skipped.map((row) => `${nameOf(row.userId)} (${formatMoney(row.amount)})`).join(', ')}.
        </p>
      )}
    </div>
  );
}

function CreateBatchForm({ onCreated }: { onCreated: (created: PayoutBatchCreated) => void }) {
  const { timeZone } = useSession().session.company;
  const [executionDate, setExecutionDate] = useState(() => todayIn(timeZone));
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onCreated(await api.post<PayoutBatchCreated>('/payout-batches', { executionDate }));
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form narrow-fields" onSubmit={submit} aria-label="Create a payout batch">
      <TextField label="Pay on" type="date" required value={executionDate} onChange={setExecutionDate} error={problem.forField('executionDate')} hint="The day the bank should make the transfers." />
      <ProblemMessage problem={problem.forForm(['executionDate'])} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create payout batch'}
      </button>
    </form>
  );
}

function BatchesSection({ batches, nameOf }: { batches: PagesHandle<PayoutBatch>; nameOf: (userId: string) => string }) {
  const { pages } = batches;
  return (
    <section className="card" aria-labelledby="payout-batches-heading">
      <h2 id="payout-batches-heading">Payout batches</h2>
      {pages.status === 'loading' && <Loading what="the payout batches" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={batches.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No payout batches yet.</Empty>
        ) : (
          <ul className="batch-list">
            {pages.items.map((batch) => (
              <li key={batch.id}>
                <BatchItem batch={batch} nameOf={nameOf} onChanged={batches.upsert} />
              </li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={batches.loadMore} what="payout batches" />
    </section>
  );
}

function BatchItem({ batch, nameOf, onChanged }: { batch: PayoutBatch; nameOf: (userId: string) => string; onChanged: (batch: PayoutBatch) => void }) {
  const { session } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [transfers, setTransfers] = useState<PayoutBatch['items'] | null>(batch.items ?? null);
  const [showing, setShowing] = useState(false);
  const path = `/payout-batches/${encodeURIComponent(batch.id)}`;
  const label = `Payout of ${formatMoney(batch.total)}, ${formatDate(batch.executionDate)}`;

  async function act(run: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    try {
      await run();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }
  const markPaid = () => act(async () => onChanged(await api.post<PayoutBatch>(`${path}/paid`)));
  const toggleTransfers = () => {
    setShowing(!showing);
    if (!transfers) void act(async () => setTransfers((await api.get<PayoutBatch>(path)).items ?? []));
  };

  return (
    <article className="batch-item" aria-label={label}>
      <div className="expense-summary">
        <div>
          <h3>{formatMoney(batch.total)}</h3>
          <p className="muted small-text">
            {batch.itemCount} {batch.itemCount === 1 ? 'transfer' : 'transfers'} · to be paid {formatDate(batch.executionDate)} · created {formatDateTime(batch.createdAt, session.company.timeZone)}
            {batch.paidAt && ` · paid ${formatDateTime(batch.paidAt, session.company.timeZone)}`}
          </p>
        </div>
        <span className={`badge badge-payout-${batch.state}`}>{batchStateLabels[batch.state]}</span>
      </div>
      <div className="row-actions batch-actions">
        <a className="button-link secondary small" href={`/api/v1${path}/pain001`} download={`${batch.id}.pain001.xml`}>
          Download pain.001
        </a>
        <button type="button" className="secondary small" aria-expanded={showing} onClick={toggleTransfers}>
          {showing ? 'Hide transfers' : 'Show transfers'}
        </button>
        {batch.state === 'created' && (
          <ConfirmButton label="Mark paid" accessibleLabel={`Mark paid: ${label}`} question="Has the bank made these transfers? Marking the batch paid books the payments." confirmLabel="Yes, mark paid" busy={busy} onConfirm={markPaid} />
        )}
      </div>
      <ProblemMessage problem={problem} />
      {showing && transfers && <TransfersTable transfers={transfers} label={label} nameOf={nameOf} />}
    </article>
  );
}

function TransfersTable({ transfers, label, nameOf }: { transfers: NonNullable<PayoutBatch['items']>; label: string; nameOf: (userId: string) => string }) {
  return (
    <table className="responsive-table transfers-table" aria-label={`Transfers of ${label}`}>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Account holder</th>
          <th scope="col">IBAN</th>
          <th scope="col" className="number">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {transfers.map((item) => (
          <tr key={item.endToEndId}>
            <td data-label="Person">{nameOf(item.userId)}</td>
            <td data-label="Account holder">{item.holderName}</td>
            <td data-label="IBAN">
              <code>{item.iban}</code>
            </td>
            <td data-label="Amount" className="number">
              {formatMoney(item.amount)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
