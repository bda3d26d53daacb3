// A bookkeeper's home: the ledger's accounts with their balances and the latest journal
// entries, each with its postings in debit and credit columns. Accounts read as a person
// reads them: what the company owes someone is named after that person as they are named
// today, and system accounts and entry kinds by what they are, never by internal ids.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { JournalEntry, LedgerAccount } from '../api/types';
import { Loaded } from '../components/loaded';
import { Empty } from '../components/status';
import { usePages } from '../components/use-pages';
import { formatDateTime, formatMoney, isNegative, withoutSign } from '../format';
import { useSession } from '../session';
import { accountNamer, accountTypeLabels, entryKindLabel, readableCode, readableDescription } from './ledger-labels';
import { t } from '../i18n/i18n';

const recentEntriesMax = 20;
const peoplePageSize = 200;

export function LedgerOverview() {
  const accounts = useQuery(getQuery('/api/v1/ledger/accounts'));
  const people = usePages('/api/v1/people', peoplePageSize);
  const nameOf = accountNamer(people.pages);
  const accountNames = new Map(accounts.data?.items.map((account) => [account.id, nameOf(account)]) ?? []);
  return (
    <div className="dashboard">
      <section className="card wide-card" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">{t('ledger.accounts')}</h2>
        <Loaded query={accounts} what={t('ledger.accountsWhat')}>
          {(data) => <AccountsTable accounts={data.items} nameOf={nameOf} />}
        </Loaded>
      </section>
      <JournalEntries accountNames={accountNames} />
    </div>
  );
}

function AccountsTable({ accounts, nameOf }: { accounts: LedgerAccount[]; nameOf: (account: LedgerAccount) => string }) {
  if (accounts.length === 0) return <Empty>{t('ledger.noAccounts')}</Empty>;
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('ledger.code')}</th>
          <th scope="col">{t('admin.invite.name')}</th>
          <th scope="col">{t('ledger.type')}</th>
          <th scope="col" className="number">
            {t('ledger.balance')}
          </th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((account) => (
          <tr key={account.id}>
            <td data-label={t('ledger.code')}>{readableCode(account.code) ? <code>{account.code}</code> : <span className="muted">{t('ledger.payable')}</span>}</td>
            <td data-label={t('admin.invite.name')}>{nameOf(account)}</td>
            <td data-label={t('ledger.type')}>{accountTypeLabels[account.type] ?? account.type}</td>
            <td data-label={t('ledger.balance')} className="number">
              {formatMoney(account.balance)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JournalEntries({ accountNames }: { accountNames: Map<string, string> }) {
  const entries = useQuery(getQuery('/api/v1/ledger/entries', { params: { query: { limit: String(recentEntriesMax) } } }));
  return (
    <section className="card wide-card" aria-labelledby="entries-heading">
      <h2 id="entries-heading">{t('ledger.recent')}</h2>
      <Loaded query={entries} what={t('ledger.entriesWhat')}>
        {(data) => (data.items.length === 0 ? <Empty>{t('ledger.noEntries')}</Empty> : data.items.map((entry) => <EntryItem key={entry.id} entry={entry} accountNames={accountNames} />))}
      </Loaded>
    </section>
  );
}

function EntryItem({ entry, accountNames }: { entry: JournalEntry; accountNames: Map<string, string> }) {
  const { session } = useSession();
  return (
    <article className="journal-entry" aria-label={readableDescription(entry.description)}>
      <header>
        <h3>{readableDescription(entry.description)}</h3>
        <p className="muted small-text">
          <span className="badge">{entryKindLabel(entry.kind)}</span> {formatDateTime(entry.effectiveAt, session.company.timeZone)}
        </p>
      </header>
      <table className="postings">
        <thead>
          <tr>
            <th scope="col">{t('ledger.account')}</th>
            <th scope="col" className="number">
              {t('ledger.debit')}
            </th>
            <th scope="col" className="number">
              {t('ledger.credit')}
            </th>
          </tr>
        </thead>
        <tbody>
          {entry.postings.map((posting) => (
            <tr key={posting.line}>
              <td>
                {accountNames.get(posting.accountId) ?? readableCode(posting.accountCode) ?? t('ledger.payable')}
                {readableCode(posting.accountCode) && accountNames.has(posting.accountId) && (
                  <>
                    {' '}
                    <code className="muted small-text">{posting.accountCode}</code>
                  </>
                )}
              </td>
              <td className="number">{isNegative(posting.amount) ? '' : formatMoney(posting.amount)}</td>
              <td className="number">{isNegative(posting.amount) ? formatMoney(withoutSign(posting.amount)) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
