// What every person sees about themselves: who they are, their cards and their card
// transactions.
import { api } from '../api/client';
import type { CardTransaction } from '../api/types';
import { MyCards } from '../cards/my-cards';
import { TransactionsTable } from '../cards/transactions-table';
import { usePages } from '../components/use-pages';
import type { Page, Team } from '../api/types';
import { useResource } from '../components/use-resource';
import { formatRoles } from '../format';
import { useSession } from '../session';

/** Teams are few; the first page holds the person's team in any company we expect. */
const teamsPageSize = 100;
const transactionsPageSize = 50;

export function MyPage() {
  const { session } = useSession();
  const { person, company } = session;
  const transactions = usePages<CardTransaction>('/card-transactions', transactionsPageSize);
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
      <MyCards />
      <TransactionsTable title="My transactions" transactions={transactions} />
    </div>
  );
}

function TeamName({ teamId }: { teamId: string }) {
  const { resource } = useResource(() => api.get<Page<Team>>('/teams', { limit: teamsPageSize }), 'teams');
  if (resource.status === 'loading') return <span className="muted">Loading…</span>;
  if (resource.status === 'error') return <span className="muted">Not available to your role</span>;
  return <>{resource.data.items.find((team) => team.id === teamId)?.name ?? 'Not available'}</>;
}
