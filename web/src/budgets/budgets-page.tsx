// Budgets: what each team, person or tag may spend per month, quarter or year, with a bar of
// what is spent and held, what is left, whether purchases beyond it are declined, and who is
// told at its thresholds. Admins set and change them; those who read the spend overview see
// them all, and an owner sees the budgets they own. The list downloads as CSV.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Budget, RequestBody } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { Loaded } from '../components/loaded';
import { Empty, ProblemMessage } from '../components/status';
import { formatDate, formatMoney } from '../format';
import { t } from '../i18n/i18n';
import { SectionPage } from '../pages/section-page';
import { can } from '../permissions';
import { useSession } from '../session';

type Scope = Budget['scope'];
type Period = Budget['period'];
const scopes: readonly Scope[] = ['team', 'person', 'tag'];
const periods: readonly Period[] = ['month', 'quarter', 'year'];

export function BudgetsPage() {
  const { session } = useSession();
  const budgets = useQuery(getQuery('/api/v1/budgets'));
  const manages = can(session, 'budgets:manage');
  return (
    <SectionPage title={t('budgets.title')} lead={t('budgets.lead')}>
      {manages && <NewBudgetForm />}
      <section className="card wide-card" aria-labelledby="budgets-heading">
        <div className="card-title-row">
          <h2 id="budgets-heading">{t('budgets.heading')}</h2>
          <a className="button-link secondary small" href="/api/v1/budgets?format=csv" download="budgets.csv">
            {t('budgets.download')}
          </a>
        </div>
        <Loaded query={budgets} what={t('budgets.what')}>
          {({ items }) =>
            items.length === 0 ? (
              <Empty>{t(manages ? 'budgets.emptyManager' : 'budgets.empty')}</Empty>
            ) : (
              <ul className="budget-list">
                {items.map((budget) => (
                  <BudgetItem key={budget.id} budget={budget} manages={manages} />
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </SectionPage>
  );
}

/** Spent, then held, as shares of the amount (capped at the whole bar). */
function shares(budget: Budget): { spent: number; pending: number } {
  const amount = Number(budget.amount.amount);
  if (amount <= 0) return { spent: 0, pending: 0 };
  const spent = Math.min(100, Math.max(0, (Number(budget.spent.amount) / amount) * 100));
  const pending = Math.min(100 - spent, Math.max(0, (Number(budget.pending.amount) / amount) * 100));
  return { spent, pending };
}

function BudgetItem({ budget, manages }: { budget: Budget; manages: boolean }) {
  const share = shares(budget);
  const over = Number(budget.remaining.amount) < 0;
  const state = over ? 'over' : budget.percentUsed >= 80 ? 'near' : 'fine';
  return (
    <li className="budget" data-budget={budget.name}>
      <div className="card-title-row">
        <h3>{budget.name}</h3>
        <span className="muted small">
          {t(`budgets.scopes.${budget.scope}`)}: {budget.subjectName} · {t(`budgets.periods.${budget.period}`)} · {formatDate(budget.periodFrom)}–{formatDate(budget.periodTo)}
        </span>
      </div>
      <div
        className={`budget-bar budget-${state}`}
        role="meter"
        aria-label={t('budgets.used', { name: budget.name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, budget.percentUsed)}
        aria-valuetext={t('budgets.usedText', { percent: budget.percentUsed, amount: formatMoney(budget.amount) })}
      >
        <span className="budget-spent" style={{ width: `${share.spent}%` }} />
        <span className="budget-pending" style={{ width: `${share.pending}%` }} />
      </div>
      <dl className="figures budget-figures">
        <div><dt>{t('budgets.amount')}</dt><dd>{formatMoney(budget.amount)}</dd></div>
        <div><dt>{t('budgets.spent')}</dt><dd>{formatMoney(budget.spent)}</dd></div>
        <div><dt>{t('budgets.pending')}</dt><dd>{formatMoney(budget.pending)}</dd></div>
        <div><dt>{t('budgets.remaining')}</dt><dd className={over ? 'field-error' : undefined}>{formatMoney(budget.remaining)}</dd></div>
      </dl>
      <p className="muted small">
        {budget.enforced ? <span className="badge">{t('budgets.enforced')}</span> : t('budgets.notEnforced')}{' '}
        {budget.ownerName ? t('budgets.ownedBy', { name: budget.ownerName, thresholds: budget.thresholds.map((value) => `${value}%`).join(', ') }) : t('budgets.noOwner')}
      </p>
      {manages && <BudgetChanges budget={budget} />}
    </li>
  );
}

function BudgetChanges({ budget }: { budget: Budget }) {
  const [amount, setAmount] = useState(budget.amount.amount);
  const change = useAction((body: RequestBody<'updateBudget'>) => ok(api.PATCH('/api/v1/budgets/{id}', { params: { path: { id: budget.id } }, body })), { invalidates: ['/api/v1/budgets'] });
  const archive = useAction(() => ok(api.DELETE('/api/v1/budgets/{id}', { params: { path: { id: budget.id } } })), { invalidates: ['/api/v1/budgets'] });
  const problem = formProblem(change.error);
  return (
    <form
      className="inline-form budget-changes"
      aria-label={t('budgets.change', { name: budget.name })}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        change.mutate({ amount: amount.trim() });
      }}
    >
      <TextField label={t('budgets.amount')} value={amount} onChange={setAmount} inputMode="decimal" error={problem.forField('amount')} />
      <button type="submit" className="secondary small" disabled={change.isPending}>{t('budgets.save')}</button>
      {budget.scope !== 'tag' && (
        <button type="button" className="secondary small" disabled={change.isPending} onClick={() => change.mutate({ enforced: !budget.enforced })}>
          {budget.enforced ? t('budgets.stopEnforcing') : t('budgets.enforce')}
        </button>
      )}
      <button type="button" className="secondary small" disabled={archive.isPending} onClick={() => archive.mutate()}>{t('budgets.archive')}</button>
      {problem.forForm(['amount']) && <ProblemMessage problem={change.error!} />}
      {archive.error && <ProblemMessage problem={archive.error} />}
    </form>
  );
}

interface Draft {
  name: string;
  scope: Scope;
  subjectId: string;
  period: Period;
  amount: string;
  enforced: boolean;
  ownerId: string;
  thresholds: string;
}

const emptyDraft: Draft = { name: '', scope: 'team', subjectId: '', period: 'month', amount: '', enforced: false, ownerId: '', thresholds: '80, 100' };

function NewBudgetForm() {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const teams = useQuery(getQuery('/api/v1/teams', { params: { query: { limit: '200' } } }));
  const people = useQuery(getQuery('/api/v1/people', { params: { query: { limit: '200' } } }));
  const tagGroups = useQuery(getQuery('/api/v1/tag-groups'));
  const create = useAction((body: RequestBody<'createBudget'>) => ok(api.POST('/api/v1/budgets', { body })), { invalidates: ['/api/v1/budgets'], onSuccess: () => setDraft(emptyDraft) });
  const problem = formProblem(create.error);
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  const subjects =
    draft.scope === 'team' ? (teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))
    : draft.scope === 'person' ? (people.data?.items ?? []).map((person) => ({ value: person.id, label: person.name }))
    : (tagGroups.data?.items ?? []).flatMap((group) => group.tags.filter((tag) => tag.active).map((tag) => ({ value: tag.id, label: `${group.name}: ${tag.name}` })));
  const owners = (people.data?.items ?? []).filter((person) => person.status === 'active').map((person) => ({ value: person.id, label: person.name }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const thresholds = draft.thresholds.split(/[,\s]+/).filter(Boolean).map(Number);
    create.mutate({
      name: draft.name.trim(),
      scope: draft.scope,
      subjectId: draft.subjectId,
      period: draft.period,
      amount: draft.amount.trim(),
      enforced: draft.scope !== 'tag' && draft.enforced,
      thresholds,
      ownerId: draft.ownerId === '' ? null : draft.ownerId,
    });
  };
  return (
    <form className="card" aria-labelledby="new-budget-heading" onSubmit={submit}>
      <h2 id="new-budget-heading">{t('budgets.new')}</h2>
      <TextField label={t('budgets.name')} value={draft.name} onChange={(name) => set({ name })} required maxLength={100} error={problem.forField('name')} />
      <SelectField label={t('budgets.scope')} value={draft.scope} onChange={(scope) => set({ scope: scope as Scope, subjectId: '', ...(scope === 'tag' ? { enforced: false } : {}) })} options={scopes.map((scope) => ({ value: scope, label: t(`budgets.scopes.${scope}`) }))} />
      <SelectField label={t(`budgets.scopes.${draft.scope}`)} value={draft.subjectId} onChange={(subjectId) => set({ subjectId })} options={[{ value: '', label: t('budgets.choose') }, ...subjects]} required error={problem.forField('subjectId')} />
      <SelectField label={t('budgets.period')} value={draft.period} onChange={(period) => set({ period: period as Period })} options={periods.map((period) => ({ value: period, label: t(`budgets.periods.${period}`) }))} />
      <TextField label={t('budgets.amount')} value={draft.amount} onChange={(amount) => set({ amount })} inputMode="decimal" required error={problem.forField('amount')} />
      <SelectField label={t('budgets.owner')} value={draft.ownerId} onChange={(ownerId) => set({ ownerId })} options={[{ value: '', label: t('budgets.nobody') }, ...owners]} error={problem.forField('ownerId')} />
      <TextField label={t('budgets.thresholds')} value={draft.thresholds} onChange={(thresholds) => set({ thresholds })} hint={t('budgets.thresholdsHint')} error={problem.forField('thresholds')} />
      <label className="checkbox">
        <input type="checkbox" checked={draft.enforced} disabled={draft.scope === 'tag'} onChange={(event) => set({ enforced: event.target.checked })} />
        {t('budgets.enforceLabel')}
      </label>
      <p className="hint">{t(draft.scope === 'tag' ? 'budgets.tagNotEnforced' : 'budgets.enforceHint')}</p>
      {problem.forForm(['name', 'subjectId', 'amount', 'ownerId', 'thresholds']) && <ProblemMessage problem={create.error!} />}
      <button type="submit" disabled={create.isPending}>{t('budgets.create')}</button>
    </form>
  );
}
