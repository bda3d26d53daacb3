// What every person sees about themselves: who they are, their receipts (what is missing,
// the camera button, what was read), their cards and their card transactions with each
// purchase's receipt.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { MyCards } from '../cards/my-cards';
import { TransactionsTable } from '../cards/transactions-table';
import type { Pages } from '../components/use-pages';
import { formatRoles } from '../format';
import { ReceiptsInbox } from '../receipts/receipts-inbox';
import { OwnTransactionReceipt } from '../receipts/transaction-receipt';
import { useMyReceipts } from '../receipts/use-my-receipts';
import { useSession } from '../session';

/** Teams are few; the first page holds the person's team in any company we expect. */
const teamsPageSize = 100;

function finder<T extends { id: string }>(pages: Pages<T>): (id: string) => T | undefined {
  return (id) => (pages.status === 'ready' ? pages.items.find((item) => item.id === id) : undefined);
}

export function MyPage() {
  const { session } = useSession();
  const { person, company } = session;
  const { transactions, receipts, missing } = useMyReceipts(person.id);
  const transactionOf = finder(transactions.pages);
  const receiptOf = finder(receipts.pages);
  return (
    <div className="dashboard">
      <section className="card narrow-card" aria-labelledby="my-page-heading">
        <h1 id="my-page-heading">My page</h1>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{person.name}</dd>
          </div>
          <div>
            <dt>E-mail</dt>
            <dd className="break">{person.email}</dd>
          </div>
          <div>
            <dt>Roles</dt>
            <dd>{formatRoles(person.roles)}</dd>
          </div>
          <div>
            <dt>Team</dt>
            <dd>{person.teamId ? <TeamName teamId={person.teamId} /> : 'No team'}</dd>
          </div>
          <div>
            <dt>Company</dt>
            <dd>{company.name}</dd>
          </div>
        </dl>
      </section>
      <ReceiptsInbox receipts={receipts} missing={missing} transactionOf={transactionOf} />
      <MyCards />
      <TransactionsTable
        title="My transactions"
        transactions={transactions}
        receiptCell={(transaction) => (
          <OwnTransactionReceipt transaction={transaction} receipt={transaction.receipt.receiptId ? receiptOf(transaction.receipt.receiptId) : undefined} />
        )}
      />
    </div>
  );
}

function TeamName({ teamId }: { teamId: string }) {
  const teams = useQuery(getQuery('/api/v1/teams', { params: { query: { limit: String(teamsPageSize) } } }));
  if (teams.isError) return <span className="muted">Not available to your role</span>;
  if (!teams.data) return <span className="muted">Loading…</span>;
  return <>{teams.data.items.find((team) => team.id === teamId)?.name ?? 'Not available'}</>;
}
