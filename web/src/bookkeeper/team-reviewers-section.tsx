// Who reviews each team's expenses. A team without named reviewers goes to any reviewer of
// the company; admins may always review.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Person, Team, TeamReviewer } from '../api/types';
import { CheckboxGroup } from '../components/fields';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { t } from '../i18n/i18n';

const teamsPageSize = 100;
const peoplePageSize = 200;

export function TeamReviewersSection() {
  const teams = usePages('/api/v1/teams', teamsPageSize);
  const people = usePages('/api/v1/people', peoplePageSize);
  const reviewers = useQuery(getQuery('/api/v1/team-reviewers'));
  const reviewersProblem = reviewers.isError && !reviewers.isFetching ? reviewers.error : null;
  const loading = teams.pages.status === 'loading' || people.pages.status === 'loading' || (reviewers.isPending && !reviewersProblem);
  const problem = teams.pages.status === 'error' ? teams.pages.problem : people.pages.status === 'error' ? people.pages.problem : reviewersProblem;
  return (
    <section className="card" aria-labelledby="team-reviewers-heading">
      <h2 id="team-reviewers-heading">{t('bookkeeper.teamReviewers.heading')}</h2>
      {loading && <Loading what={t('bookkeeper.teamReviewers.loading')} />}
      {problem && (
        <LoadError
          problem={problem}
          onRetry={() => {
            teams.reload();
            people.reload();
            void reviewers.refetch();
          }}
        />
      )}
      {teams.pages.status === 'ready' && people.pages.status === 'ready' && reviewers.isSuccess && (
        <TeamsReviewers
          teams={teams.pages.items}
          candidates={people.pages.items.filter((person) => person.status === 'active' && (person.roles.includes('reviewer') || person.roles.includes('admin')))}
          reviewers={reviewers.data.items}
        />
      )}
    </section>
  );
}

function TeamsReviewers({ teams, candidates, reviewers }: { teams: Team[]; candidates: Person[]; reviewers: TeamReviewer[] }) {
  if (teams.length === 0) return <Empty>{t('bookkeeper.teamReviewers.noTeams')}</Empty>;
  if (candidates.length === 0) return <Empty>{t('bookkeeper.teamReviewers.noReviewers')}</Empty>;
  return (
    <>
      <p className="muted small-text">A team without reviewers ticked goes to any reviewer.</p>
      {teams.map((team) => (
        <TeamReviewersForm key={team.id} team={team} candidates={candidates} initial={reviewers.filter((row) => row.teamId === team.id).map((row) => row.userId)} />
      ))}
    </>
  );
}

function TeamReviewersForm({ team, candidates, initial }: { team: Team; candidates: Person[]; initial: string[] }) {
  const [selected, setSelected] = useState(initial);
  const [kept, setKept] = useState(initial);
  const labels = Object.fromEntries(candidates.map((person) => [person.id, person.name]));
  const changed = [...selected].sort().join() !== [...kept].sort().join();
  const save = useAction(() => ok(api.PUT('/api/v1/team-reviewers/{id}', { params: { path: { id: team.id } }, body: { userIds: selected } })), {
    invalidates: ['/api/v1/team-reviewers'],
    onSuccess: (saved) => {
      setKept(saved.userIds);
      setSelected(saved.userIds);
    },
  });
  const busy = save.isPending;
  return (
    <div className="team-reviewers">
      <CheckboxGroup legend={t('bookkeeper.teamReviewers.of', { team: team.name })} choices={candidates.map((person) => person.id)} labels={labels} selected={selected} onChange={setSelected} />
      <ProblemMessage problem={save.error} />
      <button type="button" className="secondary small" disabled={busy || !changed} onClick={() => save.mutate()}>
        {busy ? t('expenses.editor.saving') : t('bookkeeper.teamReviewers.save', { team: team.name })}
      </button>
    </div>
  );
}
