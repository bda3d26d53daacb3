// An admin's home: the wallet, the people and their teams, and API keys.
import type { Person, Team } from '../api/types';
import { usePages } from '../components/use-pages';
import { ApiKeysSection } from './api-keys-section';
import { InviteForm } from './invite-form';
import { PeopleTable } from './people-table';
import { TeamsBox } from './teams-box';
import { WalletCard } from './wallet-card';

const peoplePageSize = 50;
const teamsPageSize = 100;

export function AdminDashboard() {
  const people = usePages<Person>('/people', peoplePageSize);
  const teams = usePages<Team>('/teams', teamsPageSize);
  return (
    <div className="dashboard">
      <WalletCard />
      <TeamsBox teams={teams} />
      <PeopleTable people={people} teams={teams.pages} />
      <InviteForm teams={teams.pages} onInvited={people.upsert} />
      <ApiKeysSection />
    </div>
  );
}
