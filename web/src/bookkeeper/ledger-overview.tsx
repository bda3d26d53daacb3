// A bookkeeper's home: the ledger's accounts with their balances and the latest journal
// entries, each with its postings in debit and credit columns.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { JournalEntry, LedgerAccount } from '../api/types';
import { Loaded } from '../components/loaded';
import { Empty } from '../components/status';
import { formatDateTime, formatMoney, isNegative, withoutSign } from '../format';
import { useSession } from '../session';

const recentEntriesMax = 20;

export function LedgerOverview() {
  const accounts = useQuery(getQuery('/api/v1/ledger/accounts'));
  const accountNames = new Map(accounts.data?.items.map((account) => [account.id, account.name]) ?? []);
  return (
    <div className="dashboard">
      <section className="card wide-card" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Ledger accounts</h2>
        <Loaded query={accounts} what="accounts">
          {(data) => <AccountsTable accounts={data.items} />}
        </Loaded>
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
  const entries = useQuery(getQuery('/api/v1/ledger/entries', { params: { query: { limit: String(recentEntriesMax) } } }));
  return (
    <section className="card wide-card" aria-labelledby="entries-heading">
      <h2 id="entries-heading">Recent journal entries</h2>
      <Loaded query={entries} what="journal entries">
        {(data) => (data.items.length === 0 ? <Empty>No journal entries yet.</Empty> : data.items.map((entry) => <EntryItem key={entry.id} entry={entry} accountNames={accountNames} />))}
      </Loaded>
    </section>
  );
}

function EntryItem({ entry, accountNames }: { entry: JournalEntry; accountNames: Map<string, string> }) {
  const { session } = useSession();
  return (
    <article className="journal-entry" aria-label={entry.description}>
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
  );
}
