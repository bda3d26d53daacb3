// The chart of accounts expenses are categorised with: add an account, rename it, limit it
// to some teams, retire it (expenses keep a retired account; new ones cannot choose it).
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { asProblem, type ApiProblem } from '../api/problem';
import type { ExpenseCategory, Team } from '../api/types';
import { CheckboxGroup, TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages, type Pages } from '../components/use-pages';
import { useResource } from '../components/use-resource';

const teamsPageSize = 100;
const fieldNames = ['accountCode', 'name', 'allowedTeamIds'] as const;

export function CategoriesSection() {
  const categories = useResource(() => api.get<{ items: ExpenseCategory[] }>('/expense-categories'), 'expense-categories');
  const teams = usePages<Team>('/teams', teamsPageSize);
  const [items, setItems] = useState<ExpenseCategory[] | null>(null);
  const { resource } = categories;
  const shown = items ?? (resource.status === 'ready' ? resource.data.items : []);
  const upsert = (category: ExpenseCategory) =>
    setItems(shown.some((item) => item.id === category.id) ? shown.map((item) => (item.id === category.id ? category : item)) : [...shown, category]);
  return (
    <section className="card wide-card" aria-labelledby="categories-heading">
      <h2 id="categories-heading">Chart of accounts</h2>
      {resource.status === 'loading' && <Loading what="the chart of accounts" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={categories.reload} />}
      {resource.status === 'ready' &&
        (shown.length === 0 ? (
          <Empty>No accounts yet. Add the accounts expenses are booked to, e.g. 6110 Travel.</Empty>
        ) : (
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
              {[...shown]
                .sort((a, b) => a.accountCode.localeCompare(b.accountCode))
                .map((category) => (
                  <CategoryRow key={category.id} category={category} teams={teams.pages} onChanged={upsert} />
                ))}
            </tbody>
          </table>
        ))}
      <AddCategoryForm teams={teams.pages} onAdded={upsert} />
    </section>
  );
}

function teamNames(teams: Pages<Team>, ids: string[] | null): string {
  if (ids === null) return 'All teams';
  if (teams.status !== 'ready') return '…';
  return ids.map((id) => teams.items.find((team) => team.id === id)?.name ?? 'Unknown team').join(', ') || 'No team';
}

function CategoryRow({ category, teams, onChanged }: { category: ExpenseCategory; teams: Pages<Team>; onChanged: (category: ExpenseCategory) => void }) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function setActive(active: boolean) {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.patch<ExpenseCategory>(`/expense-categories/${encodeURIComponent(category.id)}`, { active }));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

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
            <button type="button" className={category.active ? 'danger-outline small' : 'secondary small'} disabled={busy} aria-label={`${category.active ? 'Retire' : 'Restore'} ${category.name}`} onClick={() => void setActive(!category.active)}>
              {category.active ? 'Retire' : 'Restore'}
            </button>
            <ProblemMessage problem={problem} />
          </div>
        </td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={5}>
            <CategoryEditor
              category={category}
              teams={teams}
              onSaved={(saved) => {
                onChanged(saved);
                setEditing(false);
              }}
            />
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

function CategoryEditor({ category, teams, onSaved }: { category: ExpenseCategory; teams: Pages<Team>; onSaved: (category: ExpenseCategory) => void }) {
  const [name, setName] = useState(category.name);
  const [teamIds, setTeamIds] = useState<string[]>(category.allowedTeamIds ?? []);
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onSaved(await api.patch<ExpenseCategory>(`/expense-categories/${encodeURIComponent(category.id)}`, { name: name.trim(), allowedTeamIds: teamIds.length === 0 ? null : teamIds }));
    } catch (error) {
      problem.fail(error);
      setBusy(false);
    }
  }

  return (
    <form className="person-editor" onSubmit={submit} aria-label={`Change ${category.name}`}>
      <TextField label={`Name of ${category.accountCode}`} required value={name} onChange={setName} error={problem.forField('name')} />
      <TeamLimit legend={`Teams that may use ${category.accountCode}`} teams={teams} selected={teamIds} onChange={setTeamIds} error={problem.forField('allowedTeamIds')} />
      <ProblemMessage problem={problem.forForm(fieldNames)} />
      <button type="submit" className="primary small" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

function AddCategoryForm({ teams, onAdded }: { teams: Pages<Team>; onAdded: (category: ExpenseCategory) => void }) {
  const [accountCode, setAccountCode] = useState('');
  const [name, setName] = useState('');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    try {
      onAdded(await api.post<ExpenseCategory>('/expense-categories', { accountCode: accountCode.trim(), name: name.trim(), allowedTeamIds: teamIds.length === 0 ? null : teamIds }));
      setAccountCode('');
      setName('');
      setTeamIds([]);
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
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
      <button type="submit" className="secondary" disabled={busy}>
        {busy ? 'Adding…' : 'Add account'}
      </button>
    </form>
  );
}
