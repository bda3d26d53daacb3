// The company's people: everyone with their roles and team, the teams, and invitations.
import { usePages } from '../components/use-pages';
import { SectionPage } from '../pages/section-page';
import { InviteForm } from './invite-form';
import { PeopleTable } from './people-table';
import { TeamsBox } from './teams-box';
import { t } from '../i18n/i18n';

const peoplePageSize = 50;
const teamsPageSize = 100;

export function PeoplePage() {
  const people = usePages('/api/v1/people', peoplePageSize);
  const teams = usePages('/api/v1/teams', teamsPageSize);
  return (
    <SectionPage title={t('layout.sections.people')}>
      <PeopleTable people={people} teams={teams.pages} />
      <InviteForm teams={teams.pages} />
      <TeamsBox teams={teams} />
    </SectionPage>
  );
}
