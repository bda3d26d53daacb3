// What a person sees of their own spending: first the purchases still waiting for a receipt
// (each with its camera button), then their cards and their card transactions with each
// purchase's receipt, and who they are. It is an employee's home, and "My cards" for
// admins and bookkeepers, whose home is the company's overview.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { MyCards } from '../cards/my-cards';
import { TransactionsTable } from '../cards/transactions-table';
import type { Pages } from '../components/use-pages';
import { formatRoles } from '../format';
import { SectionPage } from '../pages/section-page';
import { MissingReceipts } from '../receipts/missing-receipts';
import { ReceiptPrompt } from '../notifications/receipt-prompt';
import { OwnTransactionReceipt } from '../receipts/transaction-receipt';
import { useMyReceipts } from '../receipts/use-my-receipts';
import { Link } from '../router';
import { useSession } from '../session';
import { t } from '../i18n/i18n';

/** Teams are few; the first page holds the person's team in any company we expect. */
const teamsPageSize = 100;

function finder<T extends { id: string }>(pages: Pages<T>): (id: string) => T | undefined {
  return (id) => (pages.status === 'ready' ? pages.items.find((item) => item.id === id) : undefined);
}

export function MyPage({ title }: { title: string }) {
  const { session } = useSession();
  const { transactions, receipts, missing } = useMyReceipts(session.person.id);
  const receiptOf = finder(receipts.pages);
  const anyMissing = missing.pages.status === 'ready' && missing.pages.items.length > 0;
  return (
    <SectionPage title={title}>
      <ReceiptPrompt />
      {anyMissing && (
        <section className="card wide-card needs-receipt" aria-label={t('employee.waiting')}>
          <MissingReceipts missing={missing} />
          <p className="small-text">
            <Link href="/receipts">{t('employee.allReceipts')}</Link>
          </p>
        </section>
      )}
      <MyCards />
      <TransactionsTable
        title={t('employee.transactions')}
        transactions={transactions}
        receiptCell={(transaction) => (
          <OwnTransactionReceipt transaction={transaction} receipt={transaction.receipt.receiptId ? receiptOf(transaction.receipt.receiptId) : undefined} />
        )}
      />
      <AboutYou />
    </SectionPage>
  );
}

function AboutYou() {
  const { session } = useSession();
  const { person, company } = session;
  return (
    <section className="card" aria-labelledby="my-page-heading">
      <h2 id="my-page-heading">{t('employee.heading')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('admin.invite.name')}</dt>
          <dd>{person.name}</dd>
        </div>
        <div>
          <dt>{t('pages.login.email')}</dt>
          <dd className="break">{person.email}</dd>
        </div>
        <div>
          <dt>{t('admin.invite.roles')}</dt>
          <dd>{formatRoles(person.roles)}</dd>
        </div>
        <div>
          <dt>{t('admin.invite.team')}</dt>
          <dd>{person.teamId ? <TeamName teamId={person.teamId} /> : t('admin.teams.noTeam')}</dd>
        </div>
        <div>
          <dt>{t('employee.company')}</dt>
          <dd>{company.name}</dd>
        </div>
      </dl>
    </section>
  );
}

function TeamName({ teamId }: { teamId: string }) {
  const teams = useQuery(getQuery('/api/v1/teams', { params: { query: { limit: String(teamsPageSize) } } }));
  if (teams.isError) return <span className="muted">{t('employee.notForRole')}</span>;
  if (!teams.data) return <span className="muted">{t('status.loadingShort')}</span>;
  return <>{teams.data.items.find((team) => team.id === teamId)?.name ?? t('employee.notAvailable')}</>;
}
