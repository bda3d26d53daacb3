// A company's review rules, as a bookkeeper keeps them: whether policy approves an expense
// without flags, the approval steps in order (above an amount, for some teams, approved by a
// team's reviewer, any reviewer, the team's budget owner or an admin), and each team's budget
// owner. Saving replaces them whole; expenses already in review keep the steps they took.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { Person, ReviewRules, Team } from '../api/types';
import { AmountField } from '../components/amount-field';
import { CheckboxGroup, SelectField, TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { usePages } from '../components/use-pages';
import { approverLabels, type Approver } from '../reviews/review-labels';
import { useSession } from '../session';
import { bodyOf, draftOf, moved, newStep, reviewStepsMax, type RulesDraft, type StepDraft } from './review-rules-draft';
import { t } from '../i18n/i18n';

const teamsPageSize = 100;
const peoplePageSize = 200;

export function ReviewRulesSection() {
  const rules = useQuery(getQuery('/api/v1/review-rules'));
  const teams = usePages('/api/v1/teams', teamsPageSize);
  const people = usePages('/api/v1/people', peoplePageSize);
  const rulesProblem = rules.isError && !rules.isFetching ? rules.error : null;
  const problem = rulesProblem ?? (teams.pages.status === 'error' ? teams.pages.problem : people.pages.status === 'error' ? people.pages.problem : null);
  return (
    <section className="card" aria-labelledby="review-rules-heading">
      <h2 id="review-rules-heading">{t('bookkeeper.reviewRules.heading')}</h2>
      {problem && (
        <LoadError
          problem={problem}
          onRetry={() => {
            void rules.refetch();
            teams.reload();
            people.reload();
          }}
        />
      )}
      {!problem && (!rules.isSuccess || teams.pages.status !== 'ready' || people.pages.status !== 'ready') && <Loading what={t('bookkeeper.reviewRules.loading')} />}
      {rules.isSuccess && teams.pages.status === 'ready' && people.pages.status === 'ready' && (
        <RulesForm
          rules={rules.data}
          teams={teams.pages.items}
          approvers={people.pages.items.filter((person) => person.status === 'active' && (person.roles.includes('reviewer') || person.roles.includes('admin')))}
        />
      )}
    </section>
  );
}

const stepFieldNames = (draft: RulesDraft) => [...draft.steps.flatMap((_, index) => ['name', 'amountAbove', 'teamIds'].map((name) => `steps.${index}.${name}`)), 'steps', 'budgetOwners'];

function RulesForm({ rules, teams, approvers }: { rules: ReviewRules; teams: Team[]; approvers: Person[] }) {
  const [draft, setDraft] = useState(() => draftOf(rules));
  const [saved, setSaved] = useState(false);
  const save = useAction(() => ok(api.PUT('/api/v1/review-rules', { body: bodyOf(draft) })), {
    invalidates: ['/api/v1/review-rules'],
    onSuccess: (kept) => {
      setDraft(draftOf(kept));
      setSaved(true);
    },
  });
  const problem = formProblem(save.error);
  const change = (next: RulesDraft) => {
    setSaved(false);
    setDraft(next);
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} aria-label={t('bookkeeper.reviewRules.heading')} noValidate>
      <label className="checkbox">
        <input type="checkbox" checked={draft.policyApproves} onChange={(event) => change({ ...draft, policyApproves: event.target.checked })} />
        {t('bookkeeper.reviewRules.policy')}
      </label>
      <p className="muted small-text">
        {t('bookkeeper.reviewRules.explain')}
      </p>
      <StepList draft={draft} teams={teams} problem={problem} onChange={change} />
      <BudgetOwners teams={teams} approvers={approvers} draft={draft} problem={problem} onChange={change} />
      <ProblemMessage problem={problem.forForm(stepFieldNames(draft))} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? t('expenses.editor.saving') : t('bookkeeper.reviewRules.save')}
      </button>
      {saved && (
        <p className="notice success small-text" role="status">
          {draft.steps.length === 0 ? t('bookkeeper.reviewRules.savedNoSteps') : t('bookkeeper.reviewRules.savedSteps', { count: draft.steps.length })}
        </p>
      )}
    </form>
  );
}

function StepList({ draft, teams, problem, onChange }: { draft: RulesDraft; teams: Team[]; problem: FormProblem; onChange: (draft: RulesDraft) => void }) {
  const setStep = (index: number, step: StepDraft) => onChange({ ...draft, steps: draft.steps.map((current, at) => (at === index ? step : current)) });
  const wholeError = problem.forExactField('steps');
  return (
    <fieldset className="expense-lines">
      <legend>{t('bookkeeper.reviewRules.steps')}</legend>
      {draft.steps.length === 0 && <p className="muted small-text">{t('bookkeeper.reviewRules.noSteps')}</p>}
      <ol className="line-list">
        {draft.steps.map((step, index) => (
          <li key={step.key}>
            <StepEditor
              index={index}
              count={draft.steps.length}
              step={step}
              teams={teams}
              problem={problem}
              onChange={(changed) => setStep(index, changed)}
              onMove={(by) => onChange({ ...draft, steps: moved(draft.steps, index, by) })}
              onRemove={() => onChange({ ...draft, steps: draft.steps.filter((_, at) => at !== index) })}
            />
          </li>
        ))}
      </ol>
      {wholeError && <p className="field-error">{wholeError}</p>}
      <button type="button" className="secondary small" disabled={draft.steps.length >= reviewStepsMax} onClick={() => onChange({ ...draft, steps: [...draft.steps, newStep()] })}>
        {t('bookkeeper.reviewRules.addStep')}
      </button>
    </fieldset>
  );
}

interface StepEditorProps {
  index: number;
  count: number;
  step: StepDraft;
  teams: Team[];
  problem: FormProblem;
  onChange: (step: StepDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

function StepEditor({ index, count, step, teams, problem, onChange, onMove, onRemove }: StepEditorProps) {
  const { session } = useSession();
  const number = index + 1;
  const field = (name: string) => problem.forExactField(`steps.${index}.${name}`);
  const approvers = (Object.keys(approverLabels) as Approver[]).map((value) => ({ value, label: approverLabels[value] }));
  return (
    <div className="line-editor" role="group" aria-label={t('bookkeeper.reviewRules.step', { number })}>
      <div className="line-editor-title">
        <strong>{t('bookkeeper.reviewRules.step', { number })}</strong>
        <span className="button-row wrap">
          <button type="button" className="link-button small-text" aria-label={t('bookkeeper.reviewRules.moveUp', { number })} disabled={index === 0} onClick={() => onMove(-1)}>
            {t('bookkeeper.reviewRules.up')}
          </button>
          <button type="button" className="link-button small-text" aria-label={t('bookkeeper.reviewRules.moveDown', { number })} disabled={index === count - 1} onClick={() => onMove(1)}>
            {t('bookkeeper.reviewRules.down')}
          </button>
          <button type="button" className="link-button small-text" aria-label={t('bookkeeper.reviewRules.remove', { number })} onClick={onRemove}>
            {t('bookkeeper.reviewRules.removeShort')}
          </button>
        </span>
      </div>
      <div className="two-column-form">
        <TextField label={t('bookkeeper.reviewRules.name')} maxLength={60} autoComplete="off" required value={step.name} onChange={(name) => onChange({ ...step, name })} error={field('name')} />
        <SelectField label={t('bookkeeper.reviewRules.approvedBy')} value={step.approver} onChange={(approver) => onChange({ ...step, approver: approver as Approver })} options={approvers} />
        <AmountField label={t('bookkeeper.reviewRules.above', { currency: session.company.currency })} currency={session.company.currency} value={step.amountAbove} onChange={(amountAbove) => onChange({ ...step, amountAbove })} error={field('amountAbove')} hint={t('bookkeeper.reviewRules.anyAmount')} />
      </div>
      {teams.length > 0 && (
        <CheckboxGroup
          legend={t('bookkeeper.reviewRules.teamsOf', { number })}
          choices={teams.map((team) => team.id)}
          labels={Object.fromEntries(teams.map((team) => [team.id, team.name]))}
          selected={step.teamIds}
          onChange={(teamIds) => onChange({ ...step, teamIds })}
          error={field('teamIds')}
          hint={t('bookkeeper.reviewRules.everyTeam')}
        />
      )}
    </div>
  );
}

function BudgetOwners({ teams, approvers, draft, problem, onChange }: { teams: Team[]; approvers: Person[]; draft: RulesDraft; problem: FormProblem; onChange: (draft: RulesDraft) => void }) {
  if (teams.length === 0) return null;
  const options = (teamId: string) => {
    const current = draft.budgetOwners[teamId];
    // An owner who no longer reviews stays shown (saving then says so) rather than seeming gone.
    const gone = current && !approvers.some((person) => person.id === current) ? [{ value: current, label: t('bookkeeper.reviewRules.gone') }] : [];
    return [{ value: '', label: t('bookkeeper.reviewRules.nobody') }, ...gone, ...approvers.map((person) => ({ value: person.id, label: person.name }))];
  };
  // A refusal names its row of the list bodyOf sent: the teams with an owner, in that order.
  const owned = bodyOf(draft).budgetOwners.map((owner) => owner.teamId);
  return (
    <fieldset className="expense-lines">
      <legend>{t('bookkeeper.reviewRules.budgetOwners')}</legend>
      <p className="muted small-text">{t('bookkeeper.reviewRules.budgetExplain')}</p>
      <div className="two-column-form">
        {teams.map((team) => (
          <SelectField
            key={team.id}
            label={t('bookkeeper.reviewRules.budgetOwnerOf', { team: team.name })}
            value={draft.budgetOwners[team.id] ?? ''}
            onChange={(userId) => onChange({ ...draft, budgetOwners: { ...draft.budgetOwners, [team.id]: userId } })}
            options={options(team.id)}
            error={problem.forExactField(`budgetOwners.${owned.indexOf(team.id)}.userId`)}
          />
        ))}
      </div>
    </fieldset>
  );
}
