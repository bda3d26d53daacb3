// Imported bank statements, newest first: the account, its closing balance, what became of
// its entries, and its state. A held statement (its balances do not add up, or it is of
// another account) says why, and can be accepted as it is or discarded.
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { invalidate, useAction } from '../api/queries';
import type { BankStatement, StatementState } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { SelectField } from '../components/fields';
import { MoreButton } from '../components/more-button';
import { asSentence, Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { choicesOf, formatDate, formatDateTime, formatMoney } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { countsOf, describeCounts, inGroupsOfFour, statementStateLabels } from './bank-labels';
import type { StatementCollection } from './statement-collections';
import { t } from '../i18n/i18n';

/** Small: each listed statement is fetched again for its entries. */
const statementsPageSize = 10;

interface StatementsSectionProps {
  collection: StatementCollection;
  heading: string;
  statementPathOf: (id: string) => string;
  /** Whether the person may accept or discard held statements. */
  canDecide: boolean;
}

const filterOptions = () => [{ value: '', label: t('expenses.mine.all') }, ...choicesOf(statementStateLabels).map((state) => ({ value: state, label: statementStateLabels[state] }))];

/** Each listed statement with its entries: the list gives only how many entries a statement
 * has, not what became of each (top-up, suspense, ...). */
function useStatementDetails(collection: StatementCollection, statements: readonly BankStatement[]): (id: string) => BankStatement | undefined {
  const details = useQueries({ queries: statements.map((statement) => collection.one(statement.id)) });
  return (id) => details[statements.findIndex((statement) => statement.id === id)]?.data;
}

export function StatementsSection({ collection, heading, statementPathOf, canDecide }: StatementsSectionProps) {
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<StatementState | ''>('');
  const statements = usePages(collection.list, statementsPageSize, { state: filter || undefined });
  const { pages } = statements;
  const detailOf = useStatementDetails(collection, pages.status === 'ready' ? pages.items : []);
  // The list and every statement's entries again.
  const reload = () => void invalidate(queryClient, collection.changes);
  return (
    <section className="card wide-card" aria-labelledby="statements-heading">
      <div className="card-title-row">
        <h2 id="statements-heading">{heading}</h2>
        <button type="button" className="link-button" onClick={reload} disabled={statements.fetching}>
          {t('banking.statements.refresh')}
        </button>
      </div>
      <div className="list-filter">
        <SelectField label={t('expenses.mine.show')} value={filter} onChange={(value) => setFilter(value as StatementState | '')} options={filterOptions()} />
      </div>
      {pages.status === 'loading' && <Loading what={t('banking.statements.loading')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{filter ? `No ${statementStateLabels[filter].toLowerCase()} statements.` : 'No statements imported yet.'}</Empty>
        ) : (
          <table className="responsive-table statements-table">
            <thead>
              <tr>
                <th scope="col">{t('banking.statements.statement')}</th>
                <th scope="col">{t('banking.statements.account')}</th>
                <th scope="col" className="number">
                  {t('banking.statements.closing')}
                </th>
                <th scope="col">{t('banking.statements.entries')}</th>
                <th scope="col">{t('banking.statements.state')}</th>
                {canDecide && (
                  <th scope="col">
                    <span className="visually-hidden">{t('banking.statements.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {pages.items.map((statement) => (
                <StatementRow key={statement.id} collection={collection} statement={statement} detail={detailOf(statement.id)} statementPath={statementPathOf(statement.id)} canDecide={canDecide} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={statements.loadMore} what={t('banking.statements.more')} />
    </section>
  );
}

interface StatementRowProps {
  collection: StatementCollection;
  statement: BankStatement;
  detail: BankStatement | undefined;
  statementPath: string;
  canDecide: boolean;
}

function StatementRow({ collection, statement, detail, statementPath, canDecide }: StatementRowProps) {
  const { timeZone } = useSession().session.company;
  const name = statement.statementRef ?? t('banking.upload.statement');
  const counts = detail?.entries ? describeCounts(countsOf(detail.entries.map((entry) => entry.state))) : null;
  return (
    <tr>
      <td data-label={t('banking.statements.statement')}>
        <div>
          <Link href={statementPath} className="expense-link break">
            {name}
          </Link>
          <div className="muted small-text">{t('banking.statements.imported', { date: formatDateTime(statement.createdAt, timeZone) })}</div>
        </div>
      </td>
      <td data-label={t('banking.statements.account')}>
        <code>{statement.account ? inGroupsOfFour(statement.account) : '—'}</code>
      </td>
      <td data-label={t('banking.statements.closing')} className="number">
        <div>
          {statement.closing ? formatMoney(statement.closing.amount) : '—'}
          {statement.closing?.date && <div className="muted small-text">{formatDate(statement.closing.date)}</div>}
        </div>
      </td>
      <td data-label={t('banking.statements.entries')}>
        {statement.entryCount === 0 ? (
          <span className="muted">{t('banking.statements.none')}</span>
        ) : counts ? (
          <ul className="entry-counts" aria-label={t('banking.statements.entriesOf', { name })}>
            {counts.map((phrase) => (
              <li key={phrase}>{phrase}</li>
            ))}
          </ul>
        ) : (
          <span className="muted">{statement.entryCount}</span>
        )}
      </td>
      <td data-label={t('banking.statements.state')}>
        <div>
          <span className={`badge badge-statement-${statement.state}`}>{statementStateLabels[statement.state]}</span>
          {statement.state === 'held' && statement.inconsistency && <div className="small-text held-reason">{asSentence(statement.inconsistency)}</div>}
        </div>
      </td>
      {canDecide && (
        <td data-label="" className="actions-cell">
          {statement.state === 'held' && <HeldActions collection={collection} statement={statement} />}
        </td>
      )}
    </tr>
  );
}

/** Accept a held statement as it is (its entries are booked), or discard it (nothing is). */
export function HeldActions({ collection, statement }: { collection: StatementCollection; statement: BankStatement }) {
  const decide = useAction((decision: 'accept' | 'discard') => collection.decide(statement.id, decision), { invalidates: collection.changes });
  const name = statement.statementRef ?? 'the statement';
  return (
    <div className="row-actions">
      <ConfirmButton tone="primary" label={t('banking.statements.accept')} accessibleLabel={t('banking.statements.acceptNamed', { name })} question={t('banking.statements.acceptQuestion')} confirmLabel={t('banking.statements.acceptConfirm')} busy={decide.isPending} onConfirm={() => decide.mutate('accept')} />
      <ConfirmButton label={t('receipts.item.discard')} accessibleLabel={t('banking.statements.discardNamed', { name })} question={t('banking.statements.discardQuestion')} confirmLabel={t('receipts.item.discardConfirm')} busy={decide.isPending} onConfirm={() => decide.mutate('discard')} />
      <ProblemMessage problem={decide.error} />
    </div>
  );
}
