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

const teamsPageSize = 100;
const fieldNames = ['accountCode', 'name', 'allowedTeamIds'] as const;

export function CategoriesSection() {
  const categories = useQuery(getQuery('/api/v1/expense-categories'));
  const teams = usePages('/api/v1/teams', teamsPageSize);
  return (
    <section className="card wide-card" aria-labelledby="categories-heading">
      <h2 id="categories-heading">Chart of accounts</h2>
      <Loaded query={categories} what="the chart of accounts">
        {({ items }) => (items.length === 0 ? <Empty>No accounts yet. Add the accounts expenses are booked to, e.g. 6110 Travel.</Empty> : <CategoriesTable categories={items} teams={teams.pages} />)}
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
          <th scope="col">Code</th>
          <th scope="col">Name</th>
          <th scope="col">Teams</th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
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
  if (ids === null) return 'All teams';
  if (teams.status !== 'ready') return '…';
  return ids.map((id) => teams.items.find((team) => team.id === id)?.name ?? 'Unknown team').join(', ') || 'No team';
}

function CategoryRow({ category, teams }: { category: ExpenseCategory; teams: Pages<Team> }) {
  const [editing, setEditing] = useState(false);
  const setActive = useAction((active: boolean) => ok(api.PATCH('/api/v1/expense-categories/{id}', { params: { path: { id: category.id } }, body: { active } })), chartChanged);

  return (
    <>
      <tr className={category.active ? undefined : 'retired'}>
        <td data-label="Code">
          <code>{category.accountCode}</code>
        </td>
        <td data-label="Name">{category.name}</td>
        <td data-label="Teams">{teamNames(teams, category.allowedTeamIds)}</td>
        <td data-label="Status">{category.active ? <span className="badge badge-active">In use</span> : <span className="badge">Retired</span>}</td>
        <td className="actions-cell">
          <div className="row-actions">
            <button type="button" className="secondary small" aria-expanded={editing} aria-label={`${editing ? 'Close' : 'Edit'} ${category.name}`} onClick={() => setEditing(!editing)}>
              {editing ? 'Close' : 'Edit'}
            </button>
            <button type="button" className={category.active ? 'danger-outline small' : 'secondary small'} disabled={setActive.isPending} aria-label={`${category.active ? 'Retire' : 'Restore'} ${category.name}`} onClick={() => setActive.mutate(!category.active)}>
              {category.active ? 'Retire' : 'Restore'}
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
  return <CheckboxGroup legend={legend} choices={teams.items.map((team) => team.id)} labels={labels} selected={selected} onChange={onChange} error={error} hint="None ticked: every team may use it." />;
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
    <form className="person-editor" onSubmit={submit} aria-label={`Change ${category.name}`}>
      <TextField label={`Name of ${category.accountCode}`} required value={name} onChange={setName} error={problem.forField('name')} />
      <TeamLimit legend={`Teams that may use ${category.accountCode}`} teams={teams} selected={teamIds} onChange={setTeamIds} error={problem.forField('allowedTeamIds')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary small" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save'}
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
    <form className="inline-form" onSubmit={submit} aria-label="Add an account">
      <h3>Add an account</h3>
      <div className="two-column-form">
        <TextField label="Account code" required autoComplete="off" value={accountCode} onChange={setAccountCode} error={problem.forField('accountCode')} />
        <TextField label="Account name" required autoComplete="off" value={name} onChange={setName} error={problem.forField('name')} />
      </div>
      <TeamLimit legend="Only for teams" teams={teams} selected={teamIds} onChange={setTeamIds} error={problem.forField('allowedTeamIds')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="secondary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add account'}
      </button>
    </form>
  );
}
