// A bookkeeper's home: the ledger's accounts with their balances and the latest journal
// entries, each with its postings in debit and credit columns.
import { api } from '../api/client';
import type { JournalEntry, LedgerAccount, Page } from '../api/types';
import { Empty, LoadError, Loading } from '../components/status';
import { useResource } from '../components/use-resource';
import { formatDateTime, formatMoney, isNegative, withoutSign } from '../format';
import { useSession } from '../session';

const recentEntriesMax = 20;

export function LedgerOverview() {
  const accounts = useResource(() => api.get<{ items: LedgerAccount[] }>('/ledger/accounts'), 'ledger-accounts');
  const accountNames = new Map(
    accounts.resource.status === 'ready' ? accounts.resource.data.items.map((account) => [account.id, account.name]) : [],
  );
  return (
    <div className="dashboard">
      <section className="card wide-card" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Ledger accounts</h2>
        {accounts.resource.status === 'loading' && <Loading what="accounts" />}
        {accounts.resource.status === 'error' && <LoadError problem={accounts.resource.problem} onRetry={accounts.reload} />}
        {accounts.resource.status === 'ready' && <AccountsTable accounts={accounts.resource.data.items} />}
      </section>
      <JournalEntries accountNames={accountNames} />
    </div>
  );
}

function AccountsTable({ accounts }: { accounts: LedgerAccount[] }) {
  if (accounts.length === 0) return <Empty>The ledger has no accounts yet.</Empty>;
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col" className="number">
            Balance
          </th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((account) => (
          <tr key={account.id}>
            <td data-label="Code">
              <code>{account.code}</code>
            </td>
            <td data-label="Name">{account.name}</td>
            <td data-label="Type">{account.type}</td>
            <td data-label="Balance" className="number">
              {formatMoney(account.balance)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JournalEntries({ accountNames }: { accountNames: Map<string, string> }) {
  const { session } = useSession();
  const entries = useResource(
    () => api.get<Page<JournalEntry>>('/ledger/entries', { limit: recentEntriesMax }),
    'ledger-entries',
  );
  const { resource } = entries;
  return (
    <section className="card wide-card" aria-labelledby="entries-heading">
      <h2 id="entries-heading">Recent journal entries</h2>
      {resource.status === 'loading' && <Loading what="journal entries" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={entries.reload} />}
      {resource.status === 'ready' && resource.data.items.length === 0 && <Empty>No journal entries yet.</Empty>}
      {resource.status === 'ready' &&
        resource.data.items.map((entry) => (
          <article key={entry.id} className="journal-entry" aria-label={entry.description}>
            <header>
              <h3>{entry.description}</h3>
              <p className="muted small-text">
                <span className="badge">{entry.kind}</span> {formatDateTime(entry.effectiveAt, session.company.timeZone)}
              </p>
            </header>
            <table className="postings">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col" className="number">
                    Debit
                  </th>
                  <th scope="col" className="number">
                    Credit
                  </th>
                </tr>
              </thead>
              <tbody>
                {entry.postings.map((posting) => (
                  <tr key={posting.line}>
                    <td>
                      <code>{posting.accountCode}</code> {accountNames.get(posting.accountId) ?? ''}
                    </td>
                    <td className="number">{isNegative(posting.amount) ? '' : formatMoney(posting.amount)}</td>
                    <td className="number">{isNegative(posting.amount) ? formatMoney(withoutSign(posting.amount)) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </article>
        ))}
    </section>
  );
}
