import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Team } from '../api/types';
import { TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import type { PagesHandle } from '../components/use-pages';

const fieldNames = ['name'] as const;

export function TeamsBox({ teams }: { teams: PagesHandle<Team> }) {
  const { pages } = teams;
  return (
    <section className="card" aria-labelledby="teams-heading">
      <h2 id="teams-heading">Teams</h2>
      {pages.status === 'loading' && <Loading what="teams" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={teams.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>No teams yet. Teams group people for spending limits and reports.</Empty>
        ) : (
          <ul className="team-list">
            {pages.items.map((team) => (
              <li key={team.id}>{team.name}</li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={teams.loadMore} what="teams" />
      <CreateTeamForm onCreated={teams.upsert} />
    </section>
  );
}

function CreateTeamForm({ onCreated }: { onCreated: (team: Team) => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onCreated(await api.post<Team>('/teams', { name: name.trim() }));
      setName('');
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Create a team">
      <TextField label="New team name" required value={name} onChange={setName} error={problem.forField('name')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={busy}>
        {busy ? 'Creating…' : 'Create team'}
      </button>
    </form>
  );
}
