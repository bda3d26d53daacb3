import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { Team } from '../api/types';
import { TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import type { PagesHandle } from '../components/use-pages';
import { t } from '../i18n/i18n';

const fieldNames = ['name'] as const;

export function TeamsBox({ teams }: { teams: PagesHandle<Team> }) {
  const { pages } = teams;
  return (
    <section className="card" aria-labelledby="teams-heading">
      <h2 id="teams-heading">{t('admin.teams.heading')}</h2>
      {pages.status === 'loading' && <Loading what={t('admin.teams.what')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={teams.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('admin.teams.empty')}</Empty>
        ) : (
          <ul className="team-list">
            {pages.items.map((team) => (
              <li key={team.id}>{team.name}</li>
            ))}
          </ul>
        ))}
      <MoreButton pages={pages} onMore={teams.loadMore} what={t('admin.teams.what')} />
      <CreateTeamForm />
    </section>
  );
}

function CreateTeamForm() {
  const [name, setName] = useState('');
  const create = useAction(() => ok(api.POST('/api/v1/teams', { body: { name: name.trim() } })), { invalidates: ['/api/v1/teams'], onSuccess: () => setName('') });
  const problem = formProblem(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('admin.teams.createForm')}>
      <TextField label={t('admin.teams.newName')} required value={name} onChange={setName} error={problem.forField('name')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={create.isPending}>
        {create.isPending ? t('admin.teams.creating') : t('admin.teams.create')}
      </button>
    </form>
  );
}
