// Paying people back for what they paid themselves: what is owed to each person (and who
// has no bank account yet), a payout batch gathering it as a SEPA credit transfer file
// (pain.001) for the company's bank, and marking the batch paid once the bank has run it.
// Below, the company's account the money is paid from.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { AmountOwed, PayoutBatch, PayoutBatchCreated } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages, type PagesHandle } from '../components/use-pages';
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
  const owed = useQuery(getQuery('/api/v1/payouts/owed'));
  const people = useQuery(getQuery('/api/v1/people', { params: { query: { limit: String(peoplePageSize) } } }));
  const batches = usePages('/api/v1/payout-batches', batchesPageSize);
  const nameOf = (userId: string) => (people.isSuccess ? (people.data.items.find((person) => person.id === userId)?.name ?? 'Someone') : '…');
  return (
    <>
      <h1 className="page-title">Reimbursements</h1>
      <div className="dashboard">
        <OwedSection owed={owed} nameOf={nameOf} />
        <BatchesSection batches={batches} nameOf={nameOf} />
        <DebtorAccountSection />
      </div>
    </>
  );
}

interface OwedSectionProps {
  owed: UseQueryResult<{ items: AmountOwed[] }>;
  nameOf: (userId: string) => string;
}

function OwedSection({ owed, nameOf }: OwedSectionProps) {
  const [created, setCreated] = useState<PayoutBatchCreated | null>(null);
  return (
    <section className="card wide-card" aria-labelledby="owed-heading">
      <div className="card-title-row">
        <h2 id="owed-heading">Owed to people</h2>
        <button type="button" className="link-button" onClick={() => void owed.refetch()} disabled={owed.isFetching}>
          Refresh
        </button>
      </div>
      {created && <CreatedNotice created={created} nameOf={nameOf} />}
      <Loaded query={owed} what="what is owed">
        {({ items }) => (items.length === 0 ? <Empty>Nothing is owed: approved out-of-pocket expenses show up here until they are paid back.</Empty> : <OwedTable items={items} nameOf={nameOf} onCreated={setCreated} />)}
      </Loaded>
    </section>
  );
}

function OwedTable({ items, nameOf, onCreated }: { items: AmountOwed[]; nameOf: (userId: string) => string; onCreated: (created: PayoutBatchCreated) => void }) {
  return (
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
          {items.map((row) => (
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
      {items.some((row) => !row.hasPayeeAccount) && (
        <p className="notice warning small-text">People without a bank account are left out of a payout until they add one under Expenses.</p>
      )}
      <CreateBatchForm onCreated={onCreated} />
    </>
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
  const create = useAction(() => ok(api.POST('/api/v1/payout-batches', { body: { executionDate } })), {
    invalidates: ['/api/v1/payout-batches', '/api/v1/payouts/owed'],
    onSuccess: onCreated,
  });
  const problem = formProblem(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <form className="inline-form narrow-fields" onSubmit={submit} aria-label="Create a payout batch">
      <TextField label="Pay on" type="date" required value={executionDate} onChange={setExecutionDate} error={problem.forField('executionDate')} hint="The day the bank should make the transfers." />
      <ProblemMessage problem={problem.forForm(['executionDate'])} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create payout batch'}
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
                <BatchItem batch={batch} nameOf={nameOf} />
              </li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={batches.loadMore} what="payout batches" />
    </section>
  );
}

function BatchItem({ batch, nameOf }: { batch: PayoutBatch; nameOf: (userId: string) => string }) {
  const { session } = useSession();
  const [showing, setShowing] = useState(false);
  const path = { params: { path: { id: batch.id } } };
  // The list leaves the transfers out: they are fetched when first shown.
  const details = useQuery({ ...getQuery('/api/v1/payout-batches/{id}', path), enabled: showing && !batch.items });
  const transfers = batch.items ?? details.data?.items ?? null;
  const markPaid = useAction(() => ok(api.POST('/api/v1/payout-batches/{id}/paid', path)), { invalidates: ['/api/v1/payout-batches'] });
  const label = `Payout of ${formatMoney(batch.total)}, ${formatDate(batch.executionDate)}`;

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
        <a className="button-link secondary small" href={`/api/v1/payout-batches/${encodeURIComponent(batch.id)}/pain001`} download={`${batch.id}.pain001.xml`}>
          Download pain.001
        </a>
        <button type="button" className="secondary small" aria-expanded={showing} onClick={() => setShowing(!showing)}>
          {showing ? 'Hide transfers' : 'Show transfers'}
        </button>
        {batch.state === 'created' && (
          <ConfirmButton label="Mark paid" accessibleLabel={`Mark paid: ${label}`} question="Has the bank made these transfers? Marking the batch paid books the payments." confirmLabel="Yes, mark paid" busy={markPaid.isPending} onConfirm={() => markPaid.mutate()} />
        )}
      </div>
      <ProblemMessage problem={markPaid.error ?? details.error} />
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
