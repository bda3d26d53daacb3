// Who reviews each team's expenses. A team without named reviewers goes to any reviewer of
// the company; admins may always review.
import { useState } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { Person, Team, TeamReviewer } from '../api/types';
import { CheckboxGroup } from '../components/fields';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { useResource } from '../components/use-resource';

const teamsPageSize = 100;
const peoplePageSize = 200;

export function TeamReviewersSection() {
  const teams = usePages<Team>('/teams', teamsPageSize);
  const people = usePages<Person>('/people', peoplePageSize);
  const reviewers = useResource(() => api.get<{ items: TeamReviewer[] }>('/team-reviewers'), 'team-reviewers');
  const loading = teams.pages.status === 'loading' || people.pages.status === 'loading' || reviewers.resource.status === 'loading';
  const problem = teams.pages.status === 'error' ? teams.pages.problem : people.pages.status === 'error' ? people.pages.problem : reviewers.resource.status === 'error' ? reviewers.resource.problem : null;
  return (
    <section className="card" aria-labelledby="team-reviewers-heading">
      <h2 id="team-reviewers-heading">Team reviewers</h2>
      {loading && <Loading what="the teams" />}
      {problem && (
        <LoadError
          problem={problem}
          onRetry={() => {
            teams.reload();
            people.reload();
            reviewers.reload();
          }}
        />
      )}
      {teams.pages.status === 'ready' && people.pages.status === 'ready' && reviewers.resource.status === 'ready' && (
        <TeamsReviewers
          teams={teams.pages.items}
          candidates={people.pages.items.filter((person) => person.status === 'active' && (person.roles.includes('reviewer') || person.roles.includes('admin')))}
          reviewers={reviewers.resource.data.items}
        />
      )}
    </section>
  );
}

function TeamsReviewers({ teams, candidates, reviewers }: { teams: Team[]; candidates: Person[]; reviewers: TeamReviewer[] }) {
  if (teams.length === 0) return <Empty>No teams yet: every expense goes to any reviewer.</Empty>;
  if (candidates.length === 0) return <Empty>Nobody has the reviewer role yet. An admin gives it on the people list.</Empty>;
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
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const labels = Object.fromEntries(candidates.map((person) => [person.id, person.name]));
  const changed = [...selected].sort().join() !== [...kept].sort().join();
  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      const saved = await api.put<{ teamId: string; userIds: string[] }>(`/team-reviewers/${encodeURIComponent(team.id)}`, { userIds: selected });
      setKept(saved.userIds);
      setSelected(saved.userIds);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="team-reviewers">
      <CheckboxGroup legend={`Reviewers of ${team.name}`} choices={candidates.map((person) => person.id)} labels={labels} selected={selected} onChange={setSelected} />
      <ProblemMessage problem={problem} />
      <button type="button" className="secondary small" disabled={busy || !changed} onClick={save}>
        {busy ? 'Saving…' : `Save reviewers of ${team.name}`}
      </button>
    </div>
  );
}
