// The chart of accounts expenses are categorised with: add an account, rename it, limit it
// to some teams, retire it (expenses keep a retired account; new ones cannot choose it).
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { ExpenseCategory, Team } from '../api/types';
import { CheckboxGroup, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { usePages, type Pages } from '../components/use-pages';
import { t } from '../i18n/i18n';

const teamsPageSize = 100;
const fieldNames = ['accountCode', 'name', 'allowedTeamIds'] as const;

export function CategoriesSection() {
  const categories = useQuery(getQuery('/api/v1/expense-categories'));
  const teams = usePages('/api/v1/teams', teamsPageSize);
  return (
    <section className="card wide-card" aria-labelledby="categories-heading">
      <h2 id="categories-heading">{t('bookkeeper.categories.heading')}</h2>
      <Loaded query={categories} what={t('bookkeeper.categories.loading')}>
        {({ items }) => (items.length === 0 ? <Empty>{t('bookkeeper.categories.empty')}</Empty> : <CategoriesTable categories={items} teams={teams.pages} />)}
      </Loaded>
      <AddCategoryForm teams={teams.pages} />
    </section>
  );
}

function CategoriesTable({ categories, teams }: { categories: ExpenseCategory[]; teams: Pages<Team> }) {
  return (
    <table className="responsive-table">
      <thead>
        <tr>
          <th scope="col">{t('bookkeeper.categories.code')}</th>
          <th scope="col">{t('bookkeeper.categories.name')}</th>
          <th scope="col">{t('bookkeeper.categories.teams')}</th>
          <th scope="col">{t('bookkeeper.categories.status')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('bookkeeper.categories.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {[...categories]
          .sort((a, b) => a.accountCode.localeCompare(b.accountCode))
          .map((category) => (
            <CategoryRow key={category.id} category={category} teams={teams} />
          ))}
      </tbody>
    </table>
  );
}

/** A change to the chart: it is fetched again, for this section and the expense forms. */
const chartChanged = { invalidates: ['/api/v1/expense-categories'] } as const;

function teamNames(teams: Pages<Team>, ids: string[] | null): string {
  if (ids === null) return t('bookkeeper.categories.allTeams');
  if (teams.status !== 'ready') return '…';
  return ids.map((id) => teams.items.find((team) => team.id === id)?.name ?? t('bookkeeper.categories.unknownTeam')).join(', ') || t('bookkeeper.categories.noTeam');
}

function CategoryRow({ category, teams }: { category: ExpenseCategory; teams: Pages<Team> }) {
  const [editing, setEditing] = useState(false);
  const setActive = useAction((active: boolean) => ok(api.PATCH('/api/v1/expense-categories/{id}', { params: { path: { id: category.id } }, body: { active } })), chartChanged);

  return (
    <>
      <tr className={category.active ? undefined : 'retired'}>
        <td data-label={t('bookkeeper.categories.code')}>
          <code>{category.accountCode}</code>
        </td>
        <td data-label={t('bookkeeper.categories.name')}>{category.name}</td>
        <td data-label={t('bookkeeper.categories.teams')}>{teamNames(teams, category.allowedTeamIds)}</td>
        <td data-label={t('bookkeeper.categories.status')}>{category.active ? <span className="badge badge-active">{t('bookkeeper.categories.inUse')}</span> : <span className="badge">{t('bookkeeper.tags.retired')}</span>}</td>
        <td className="actions-cell">
          <div className="row-actions">
            <button type="button" className="secondary small" aria-expanded={editing} aria-label={editing ? t('bookkeeper.categories.closeNamed', { name: category.name }) : t('bookkeeper.categories.editNamed', { name: category.name })} onClick={() => setEditing(!editing)}>
              {editing ? t('bookkeeper.categories.close') : t('bookkeeper.categories.edit')}
            </button>
            <button type="button" className={category.active ? 'danger-outline small' : 'secondary small'} disabled={setActive.isPending} aria-label={category.active ? t('bookkeeper.categories.retireNamed', { name: category.name }) : t('bookkeeper.categories.restoreNamed', { name: category.name })} onClick={() => setActive.mutate(!category.active)}>
              {category.active ? t('bookkeeper.categories.retire') : t('bookkeeper.categories.restore')}
            </button>
            <ProblemMessage problem={setActive.error} />
          </div>
        </td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={5}>
            <CategoryEditor category={category} teams={teams} onSaved={() => setEditing(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

function TeamLimit({ teams, selected, onChange, error, legend }: { teams: Pages<Team>; selected: string[]; onChange: (ids: string[]) => void; error: string | undefined; legend: string }) {
  if (teams.status !== 'ready' || teams.items.length === 0) return null;
  const labels = Object.fromEntries(teams.items.map((team) => [team.id, team.name]));
  return <CheckboxGroup legend={legend} choices={teams.items.map((team) => team.id)} labels={labels} selected={selected} onChange={onChange} error={error} hint={t('bookkeeper.categories.noneTicked')} />;
}

function CategoryEditor({ category, teams, onSaved }: { category: ExpenseCategory; teams: Pages<Team>; onSaved: () => void }) {
  const [name, setName] = useState(category.name);
  const [teamIds, setTeamIds] = useState<string[]>(category.allowedTeamIds ?? []);
  const body = { name: name.trim(), allowedTeamIds: teamIds.length === 0 ? null : teamIds };
  const save = useAction(() => ok(api.PATCH('/api/v1/expense-categories/{id}', { params: { path: { id: category.id } }, body })), { ...chartChanged, onSuccess: onSaved });
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="person-editor" onSubmit={submit} aria-label={t('bookkeeper.categories.changeNamed', { name: category.name })}>
      <TextField label={t('bookkeeper.categories.nameOf', { code: category.accountCode })} required value={name} onChange={setName} error={problem.forField('name')} />
      <TeamLimit legend={t('bookkeeper.categories.teamsOf', { code: category.accountCode })} teams={teams} selected={teamIds} onChange={setTeamIds} error={problem.forField('allowedTeamIds')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary small" disabled={save.isPending}>
        {save.isPending ? t('expenses.editor.saving') : t('bookkeeper.categories.save')}
      </button>
    </form>
  );
}

function AddCategoryForm({ teams }: { teams: Pages<Team> }) {
  const [accountCode, setAccountCode] = useState('');
  const [name, setName] = useState('');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const body = { accountCode: accountCode.trim(), name: name.trim(), allowedTeamIds: teamIds.length === 0 ? null : teamIds };
  const add = useAction(() => ok(api.POST('/api/v1/expense-categories', { body })), {
    ...chartChanged,
    onSuccess: () => {
      setAccountCode('');
      setName('');
      setTeamIds([]);
    },
  });
  const problem = formProblem(add.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('bookkeeper.categories.addHeading')}>
      <h3>{t('bookkeeper.categories.addHeading')}</h3>
      <div className="two-column-form">
        <TextField label={t('bookkeeper.categories.accountCode')} required autoComplete="off" value={accountCode} onChange={setAccountCode} error={problem.forField('accountCode')} />
        <TextField label={t('bookkeeper.categories.accountName')} required autoComplete="off" value={name} onChange={setName} error={problem.forField('name')} />
      </div>
      <TeamLimit legend={t('bookkeeper.categories.onlyFor')} teams={teams} selected={teamIds} onChange={setTeamIds} error={problem.forField('allowedTeamIds')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={add.isPending}>
        {add.isPending ? t('expenses.new.adding') : t('bookkeeper.categories.add')}
      </button>
    </form>
  );
}
