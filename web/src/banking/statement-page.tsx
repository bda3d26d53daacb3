// One imported statement: its account, balances and state, and each entry with what became
// of it (a company's top-up, in suspense, a payout seen leaving, ...). A held statement can be
// accepted or discarded here too.
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { BankEntry, BankStatement } from '../api/types';
import { asSentence, Empty, LoadError, Loading } from '../components/status';
import { formatDate, formatDateTime, formatMoney, isNegative } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { countsOf, describeCounts, entryStateLabels, inGroupsOfFour, statementStateLabels } from './bank-labels';
import type { StatementCollection } from './statement-collections';
import { HeldActions } from './statements-section';
import { StatementWarnings } from './statement-warnings';
import { t } from '../i18n/i18n';

interface StatementPageProps {
  /** The top-up account's statements, or the company's own account's. */
  collection: StatementCollection;
  id: string;
  back: { href: string; label: string };
  canDecide: boolean;
  /** Names the company an entry was booked for (operators see every company). */
  companyNameOf?: (id: string) => string | undefined;
  /** Where entries in suspense are dealt with. */
  suspenseHref?: string;
}

export function StatementPage({ collection, id, back, canDecide, companyNameOf, suspenseHref }: StatementPageProps) {
  const query = useQuery(collection.one(id));
  const statement = query.data ?? null;
  const name = statement?.statementRef ?? t('banking.upload.statement');

  useEffect(() => {
    if (statement) document.title = `${name} · Outlay`;
  }, [statement, name]);

  return (
    <>
      <p className="small-text back-link">
        <Link href={back.href}>{back.label}</Link>
      </p>
      {!statement && (query.isError && !query.isFetching ? <LoadError problem={query.error} onRetry={() => void query.refetch()} /> : <Loading what={t('banking.statement.loading')} />)}
      {statement && (
        <div className="dashboard">
          <section className="card wide-card" aria-labelledby="statement-heading">
            <div className="expense-summary">
              <div>
                <h1 id="statement-heading" className="break">
                  {name}
                </h1>
                <p className="muted small-text">
                  {describeCounts(countsOf((statement.entries ?? []).map((entry) => entry.state))).join(' · ') || t('banking.statement.noEntries')}
                </p>
              </div>
              <span className={`badge badge-statement-${statement.state}`}>{statementStateLabels[statement.state]}</span>
            </div>
            {statement.state === 'held' && (
              <div className="notice warning">
                <p>{t('banking.statement.held', { why: statement.inconsistency ? asSentence(statement.inconsistency) : t('banking.statement.waitsForPerson') })}</p>
                {canDecide && <HeldActions collection={collection} statement={statement} />}
              </div>
            )}
            <StatementFacts statement={statement} />
            {statement.file && <StatementWarnings warnings={statement.file.warnings} />}
          </section>
          <section className="card wide-card" aria-labelledby="entries-heading">
            <h2 id="entries-heading">{t('banking.statement.entries')}</h2>
            {(statement.entries ?? []).length === 0 ? <Empty>{t('banking.statement.empty')}</Empty> : <EntriesTable entries={statement.entries ?? []} companyNameOf={companyNameOf} suspenseHref={suspenseHref} />}
          </section>
        </div>
      )}
    </>
  );
}

function StatementFacts({ statement }: { statement: BankStatement }) {
  const { timeZone } = useSession().session.company;
  const balance = (side: BankStatement['opening']) => (side ? `${formatMoney(side.amount)}${side.date ? ` on ${formatDate(side.date)}` : ''}` : '—');
  return (
    <dl className="facts">
      <div>
        <dt>{t('banking.statement.account')}</dt>
        <dd>
          <code>{statement.account ? inGroupsOfFour(statement.account) : '—'}</code>
        </dd>
      </div>
      <div>
        <dt>{t('banking.statement.opening')}</dt>
        <dd>{balance(statement.opening)}</dd>
      </div>
      <div>
        <dt>{t('banking.statement.closing')}</dt>
        <dd>{balance(statement.closing)}</dd>
      </div>
      <div>
        <dt>{t('banking.statement.imported')}</dt>
        <dd>{formatDateTime(statement.createdAt, timeZone)}</dd>
      </div>
      {statement.file && (
        <div>
          <dt>{t('banking.statement.file')}</dt>
          <dd className="break">{statement.file.fileName ? `${statement.file.fileName} · ${statement.file.format}` : statement.file.format}</dd>
        </div>
      )}
    </dl>
  );
}

interface EntriesTableProps {
  entries: readonly BankEntry[];
  companyNameOf: ((id: string) => string | undefined) | undefined;
  suspenseHref: string | undefined;
}

function EntriesTable({ entries, companyNameOf, suspenseHref }: EntriesTableProps) {
  return (
    <table className="responsive-table entries-table">
      <thead>
        <tr>
          <th scope="col">{t('banking.statement.booked')}</th>
          <th scope="col">{t('banking.statement.counterparty')}</th>
          <th scope="col">{t('banking.statement.message')}</th>
          <th scope="col" className="number">
            {t('banking.statement.amount')}
          </th>
          <th scope="col">{t('banking.statement.became')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td data-label={t('banking.statement.booked')}>{formatDate(entry.bookingDate)}</td>
            <td data-label={t('banking.statement.counterparty')}>
              <div>
                <span className="break">{entry.counterparty.name ?? '—'}</span>
                {entry.counterparty.iban && (
                  <div className="muted small-text">
                    <code>{inGroupsOfFour(entry.counterparty.iban)}</code>
                  </div>
                )}
              </div>
            </td>
            <td data-label={t('banking.statement.message')}>
              <div>
                <span className="break">{entry.remittance ?? <span className="muted">{t('banking.statement.noMessage')}</span>}</span>
                {entry.bankReference && <div className="muted small-text break">{t('banking.statement.bankReference', { reference: entry.bankReference })}</div>}
              </div>
            </td>
            <td data-label={t('banking.statement.amount')} className="number">
              <span className={isNegative(entry.amount) ? undefined : 'money-in'}>{formatMoney(entry.amount)}</span>
            </td>
            <td data-label={t('banking.statement.became')}>
              <div>
                <span className={`badge badge-entry-${entry.state}`}>{entryStateLabels[entry.state]}</span>
                <EntryOutcome entry={entry} companyNameOf={companyNameOf} suspenseHref={suspenseHref} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EntryOutcome({ entry, companyNameOf, suspenseHref }: { entry: BankEntry; companyNameOf: EntriesTableProps['companyNameOf']; suspenseHref: string | undefined }) {
  if (entry.companyId && companyNameOf) return <div className="small-text">{t('banking.statement.forCompany', { company: companyNameOf(entry.companyId) ?? t('banking.statement.aCompany') })}</div>;
  if (entry.state === 'suspense' && suspenseHref) {
    return (
      <div className="small-text">
        <Link href={suspenseHref}>{t('banking.statement.assign')}</Link>
      </div>
    );
  }
  if (entry.note) return <div className="small-text muted break">“{entry.note}”</div>;
  return null;
}
