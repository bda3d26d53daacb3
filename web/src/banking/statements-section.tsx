// Imported bank statements, newest first: the account, its closing balance, what became of
// its entries, and its state. A held statement (its balances do not add up, or it is of
// another account) says why, and can be accepted as it is or discarded.
import { useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import { statementStates, type BankStatement, type StatementState } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { SelectField } from '../components/fields';
import { MoreButton } from '../components/more-button';
import { asSentence, Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages, type PagesHandle } from '../components/use-pages';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { countsOf, describeCounts, inGroupsOfFour, statementStateLabels } from './bank-labels';
import { useStatementDetails, type StatementDetails } from './use-statement-details';

/** Small: each listed statement is fetched again for its entries. */
const statementsPageSize = 10;

export interface StatementsHandle {
  statements: PagesHandle<BankStatement>;
  details: StatementDetails;
  filter: StatementState | '';
  setFilter: (filter: StatementState | '') => void;
  /** After an import: the list and every statement's entries again. */
  reload: () => void;
}

export function useStatements(path: string): StatementsHandle {
  const [filter, setFilter] = useState<StatementState | ''>('');
  const statements = usePages<BankStatement>(path, statementsPageSize, { state: filter || undefined });
  const items = statements.pages.status === 'ready' ? statements.pages.items : [];
  const details = useStatementDetails(path, items);
  const reload = () => {
    statements.reload();
    details.refresh();
  };
  return { statements, details, filter, setFilter, reload };
}

interface StatementsSectionProps {
  path: string;
  handle: StatementsHandle;
  heading: string;
  statementPathOf: (id: string) => string;
  /** Whether the person may accept or discard held statements. */
  canDecide: boolean;
  /** Called with a held statement once it was accepted or discarded. */
  onDecided?: (statement: BankStatement) => void;
}

const filterOptions = [{ value: '', label: 'All' }, ...statementStates.map((state) => ({ value: state, label: statementStateLabels[state] }))];

export function StatementsSection({ path, handle, heading, statementPathOf, canDecide, onDecided }: StatementsSectionProps) {
  const { statements, details, filter, setFilter, reload } = handle;
  const { pages } = statements;
  const decided = (statement: BankStatement) => {
    details.put(statement);
    statements.upsert(statement);
    onDecided?.(statement);
  };
  return (
    <section className="card wide-card" aria-labelledby="statements-heading">
      <div className="card-title-row">
        <h2 id="statements-heading">{heading}</h2>
        <button type="button" className="link-button" onClick={reload} disabled={pages.status === 'loading'}>
          Refresh
        </button>
      </div>
      <div className="list-filter">
        <SelectField label="Show" value={filter} onChange={(value) => setFilter(value as StatementState | '')} options={filterOptions} />
      </div>
      {pages.status === 'loading' && <Loading what="the statements" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{filter ? `No ${statementStateLabels[filter].toLowerCase()} statements.` : 'No statements imported yet.'}</Empty>
        ) : (
          <table className="responsive-table statements-table">
            <thead>
              <tr>
                <th scope="col">Statement</th>
                <th scope="col">Account</th>
                <th scope="col" className="number">
                  Closing balance
                </th>
                <th scope="col">Entries</th>
                <th scope="col">State</th>
                {canDecide && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {pages.items.map((statement) => (
                <StatementRow key={statement.id} path={path} statement={statement} detail={details.detailOf(statement.id)} statementPath={statementPathOf(statement.id)} canDecide={canDecide} onDecided={decided} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={statements.loadMore} what="statements" />
    </section>
  );
}

interface StatementRowProps {
  path: string;
  statement: BankStatement;
  detail: BankStatement | undefined;
  statementPath: string;
  canDecide: boolean;
  onDecided: (statement: BankStatement) => void;
}

function StatementRow({ path, statement, detail, statementPath, canDecide, onDecided }: StatementRowProps) {
  const { timeZone } = useSession().session.company;
  const name = statement.statementRef ?? 'Statement';
  const counts = detail?.entries ? describeCounts(countsOf(detail.entries.map((entry) => entry.state))) : null;
  return (
    <tr>
      <td data-label="Statement">
        <div>
          <Link href={statementPath} className="expense-link break">
            {name}
          </Link>
          <div className="muted small-text">Imported {formatDateTime(statement.createdAt, timeZone)}</div>
        </div>
      </td>
      <td data-label="Account">
        <code>{statement.account ? inGroupsOfFour(statement.account) : '—'}</code>
      </td>
      <td data-label="Closing balance" className="number">
        <div>
          {statement.closing ? formatMoney(statement.closing.amount) : '—'}
          {statement.closing?.date && <div className="muted small-text">{formatDate(statement.closing.date)}</div>}
        </div>
      </td>
      <td data-label="Entries">
        {statement.entryCount === 0 ? (
          <span className="muted">None</span>
        ) : counts ? (
          <ul className="entry-counts" aria-label={`Entries of ${name}`}>
            {counts.map((phrase) => (
              <li key={phrase}>{phrase}</li>
            ))}
          </ul>
        ) : (
          <span className="muted">{statement.entryCount}</span>
        )}
      </td>
      <td data-label="State">
        <div>
          <span className={`badge badge-statement-${statement.state}`}>{statementStateLabels[statement.state]}</span>
          {statement.state === 'held' && statement.inconsistency && <div className="small-text held-reason">{asSentence(statement.inconsistency)}</div>}
        </div>
      </td>
      {canDecide && (
        <td data-label="" className="actions-cell">
          {statement.state === 'held' && <HeldActions path={path} statement={statement} onDecided={onDecided} />}
        </td>
      )}
    </tr>
  );
}

/** Accept a held statement as it is (its entries are booked), or discard it (nothing is). */
export function HeldActions({ path, statement, onDecided }: { path: string; statement: BankStatement; onDecided: (statement: BankStatement) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const name = statement.statementRef ?? 'the statement';
  async function decide(action: 'accept' | 'discard') {
    setBusy(true);
    setProblem(null);
    try {
      onDecided(await api.post<BankStatement>(`${path}/${encodeURIComponent(statement.id)}/${action}`));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="row-actions">
      <ConfirmButton tone="primary" label="Accept" accessibleLabel={`Accept ${name}`} question="Book it as it is? Its entries are reconciled." confirmLabel="Yes, accept" busy={busy} onConfirm={() => void decide('accept')} />
      <ConfirmButton label="Discard" accessibleLabel={`Discard ${name}`} question="Discard it? Nothing of it is booked." confirmLabel="Yes, discard" busy={busy} onConfirm={() => void decide('discard')} />
      <ProblemMessage problem={problem} />
    </div>
  );
}
