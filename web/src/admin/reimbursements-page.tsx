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
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

const peoplePageSize = 200;
const batchesPageSize = 20;

const batchStateLabels: Record<PayoutBatch['state'], string> = labelsOf('admin.reimbursements.states', en.admin.reimbursements.states);

export function ReimbursementsPage() {
  const owed = useQuery(getQuery('/api/v1/payouts/owed'));
  const people = useQuery(getQuery('/api/v1/people', { params: { query: { limit: String(peoplePageSize) } } }));
  const batches = usePages('/api/v1/payout-batches', batchesPageSize);
  const nameOf = (userId: string) => (people.isSuccess ? (people.data.items.find((person) => person.id === userId)?.name ?? t('admin.reimbursements.someone')) : '…');
  return (
    <>
      <h1 className="page-title">{t('layout.sections.reimbursements')}</h1>
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
        <h2 id="owed-heading">{t('admin.reimbursements.owedHeading')}</h2>
        <button type="button" className="link-button" onClick={() => void owed.refetch()} disabled={owed.isFetching}>
          {t('pages.receipts.refresh')}
        </button>
      </div>
      {created && <CreatedNotice created={created} nameOf={nameOf} />}
      <Loaded query={owed} what={t('admin.reimbursements.owedWhat')}>
        {({ items }) => (items.length === 0 ? <Empty>{t('admin.reimbursements.owedEmpty')}</Empty> : <OwedTable items={items} nameOf={nameOf} onCreated={setCreated} />)}
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
            <th scope="col">{t('admin.reimbursements.person')}</th>
            <th scope="col" className="number">
              {t('admin.reimbursements.owed')}
            </th>
            <th scope="col" className="number">
              {t('layout.sections.expenses')}
            </th>
            <th scope="col">{t('admin.reimbursements.bankAccount')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <tr key={row.userId}>
              <td data-label={t('admin.reimbursements.person')}>{nameOf(row.userId)}</td>
              <td data-label={t('admin.reimbursements.owed')} className="number">
                {formatMoney(row.amount)}
              </td>
              <td data-label={t('layout.sections.expenses')} className="number">
                {row.expenseCount}
              </td>
              <td data-label={t('admin.reimbursements.bankAccount')}>{row.hasPayeeAccount ? <span className="badge badge-active">{t('admin.reimbursements.onFile')}</span> : <span className="badge badge-flag">{t('admin.reimbursements.noBankAccount')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.some((row) => !row.hasPayeeAccount) && (
        <p className="notice warning small-text">{t('admin.reimbursements.leftOutHint')}</p>
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
        {t('admin.reimbursements.created', { count: batch.itemCount, amount: formatMoney(batch.total) })}
      </p>
      {skipped.length > 0 && (
        <p className="small-text">
          {t('admin.reimbursements.leftOut', { people: skipped.map((row) => `${nameOf(row.userId)} (${formatMoney(row.amount)})`).join(', ') })}
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
    <form className="inline-form narrow-fields" onSubmit={submit} aria-label={t('admin.reimbursements.createForm')}>
      <TextField label={t('admin.reimbursements.payOn')} type="date" required value={executionDate} onChange={setExecutionDate} error={problem.forField('executionDate')} hint={t('admin.reimbursements.payOnHint')} />
      <ProblemMessage problem={problem.forForm(['executionDate'])} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? t('admin.teams.creating') : t('admin.reimbursements.create')}
      </button>
    </form>
  );
}

function BatchesSection({ batches, nameOf }: { batches: PagesHandle<PayoutBatch>; nameOf: (userId: string) => string }) {
  const { pages } = batches;
  return (
    <section className="card" aria-labelledby="payout-batches-heading">
      <h2 id="payout-batches-heading">{t('admin.reimbursements.batchesHeading')}</h2>
      {pages.status === 'loading' && <Loading what={t('admin.reimbursements.batchesLoading')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={batches.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('admin.reimbursements.batchesEmpty')}</Empty>
        ) : (
          <ul className="batch-list">
            {pages.items.map((batch) => (
              <li key={batch.id}>
                <BatchItem batch={batch} nameOf={nameOf} />
              </li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={batches.loadMore} what={t('admin.reimbursements.batchesWhat')} />
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
  const label = t('admin.reimbursements.payoutLabel', { amount: formatMoney(batch.total), date: formatDate(batch.executionDate) });

  return (
    <article className="batch-item" aria-label={label}>
      <div className="expense-summary">
        <div>
          <h3>{formatMoney(batch.total)}</h3>
          <p className="muted small-text">
            {t('admin.reimbursements.batchFacts', { count: batch.itemCount, date: formatDate(batch.executionDate), time: formatDateTime(batch.createdAt, session.company.timeZone) })}
            {batch.paidAt && ` · ${t('admin.reimbursements.paidAt', { time: formatDateTime(batch.paidAt, session.company.timeZone) })}`}
          </p>
        </div>
        <span className={`badge badge-payout-${batch.state}`}>{batchStateLabels[batch.state]}</span>
      </div>
      <div className="row-actions batch-actions">
        <a className="button-link secondary small" href={`/api/v1/payout-batches/${encodeURIComponent(batch.id)}/pain001`} download={`${batch.id}.pain001.xml`}>
          {t('admin.reimbursements.download')}
        </a>
        <button type="button" className="secondary small" aria-expanded={showing} onClick={() => setShowing(!showing)}>
          {showing ? t('admin.reimbursements.hideTransfers') : t('admin.reimbursements.showTransfers')}
        </button>
        {batch.state === 'created' && (
          <ConfirmButton label={t('admin.reimbursements.markPaid')} accessibleLabel={t('admin.reimbursements.markPaidNamed', { batch: label })} question={t('admin.reimbursements.markPaidQuestion')} confirmLabel={t('admin.reimbursements.markPaidConfirm')} busy={markPaid.isPending} onConfirm={() => markPaid.mutate()} />
        )}
      </div>
      <ProblemMessage problem={markPaid.error ?? details.error} />
      {showing && transfers && <TransfersTable transfers={transfers} label={label} nameOf={nameOf} />}
    </article>
  );
}

function TransfersTable({ transfers, label, nameOf }: { transfers: NonNullable<PayoutBatch['items']>; label: string; nameOf: (userId: string) => string }) {
  return (
    <table className="responsive-table transfers-table" aria-label={t('admin.reimbursements.transfersOf', { batch: label })}>
      <thead>
        <tr>
          <th scope="col">{t('admin.reimbursements.person')}</th>
          <th scope="col">{t('admin.reimbursements.holder')}</th>
          <th scope="col">{t('admin.reimbursements.iban')}</th>
          <th scope="col" className="number">
            {t('admin.reimbursements.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {transfers.map((item) => (
          <tr key={item.endToEndId}>
            <td data-label={t('admin.reimbursements.person')}>{nameOf(item.userId)}</td>
            <td data-label={t('admin.reimbursements.holder')}>{item.holderName}</td>
            <td data-label={t('admin.reimbursements.iban')}>
              <code>{item.iban}</code>
            </td>
            <td data-label={t('admin.reimbursements.amount')} className="number">
              {formatMoney(item.amount)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
