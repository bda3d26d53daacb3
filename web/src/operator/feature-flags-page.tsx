// The platform's feature flags, for operators: each flag with its switch, the variant everyone
// gets when no rule matches, its variants (variant flags) and its rules in order, where a rule
// is removed or added. Every change is one PATCH of the flag; the server checks the flag as a
// whole and says which field is wrong.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { getQuery, useAction } from '../api/queries';
import type { FeatureFlag, FlagRule, RequestBody } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { LoadError, Loading, ProblemMessage } from '../components/status';
import { formatDateTime } from '../format';
import { t } from '../i18n/i18n';

type FlagPatch = RequestBody<'updateFeatureFlag'>;
type RuleMatch = FlagRule['match'];
type Role = Extract<FlagRule, { match: 'roles' }>['roles'][number];

const flagsPath = '/api/v1/feature-flags';
const listOf = (text: string) => text.split(',').map((item) => item.trim()).filter((item) => item !== '');

function ruleText(rule: FlagRule): string {
  switch (rule.match) {
    case 'companies':
      return t('operator.flags.ruleCompanies', { ids: rule.ids.join(', '), variant: rule.variant });
    case 'people':
      return t('operator.flags.rulePeople', { ids: rule.ids.join(', '), variant: rule.variant });
    case 'roles':
      return t('operator.flags.ruleRoles', { roles: rule.roles.join(', '), variant: rule.variant });
    case 'percentage':
      return t('operator.flags.rulePercentage', { percentage: rule.percentage, whom: rule.by === 'company' ? t('operator.flags.whomCompanies') : t('operator.flags.whomPeople'), variant: rule.variant });
  }
}

export function FeatureFlagsPage() {
  const flags = useQuery(getQuery(flagsPath));
  useEffect(() => {
    document.title = `${t('layout.sections.flags')} · Outlay`;
  }, []);
  return (
    <>
      <h1 className="page-title">{t('layout.sections.flags')}</h1>
      <p className="muted small-text">{t('operator.flags.lead')}</p>
      {flags.isPending && <Loading what={t('operator.flags.loading')} />}
      {flags.isError && <LoadError problem={flags.error} onRetry={() => void flags.refetch()} />}
      {flags.data && (
        <ul className="suspense-list" aria-label={t('operator.flags.list')}>
          {flags.data.items.map((flag) => (
            <li key={flag.key}>
              <FlagCard flag={flag} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** One PATCH of the flag; the list is read again before the action counts as done. */
function useFlagChange(flag: FeatureFlag, onSuccess?: () => void) {
  return useAction((patch: FlagPatch) => ok(api.PATCH('/api/v1/feature-flags/{key}', { params: { path: { key: flag.key } }, body: patch })), {
    invalidates: [flagsPath],
    ...(onSuccess ? { onSuccess } : {}),
  });
}

function FlagCard({ flag }: { flag: FeatureFlag }) {
  const change = useFlagChange(flag);
  const headingId = `flag-${flag.key}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <code>{flag.key}</code>
      </h2>
      <p className="muted small-text">
        {flag.description} · {flag.kind === 'boolean' ? t('operator.flags.boolean') : t('operator.flags.variant')}
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={flag.enabled} disabled={change.isPending} onChange={(event) => change.mutate({ enabled: event.target.checked })} />
        {t('operator.flags.enabled')}
      </label>
      <small className="hint">{t('operator.flags.enabledHint')}</small>
      <SelectField
        label={t('operator.flags.defaultVariant')}
        value={flag.defaultVariant}
        disabled={change.isPending}
        onChange={(defaultVariant) => change.mutate({ defaultVariant })}
        options={flag.variants.map((variant) => ({ value: variant, label: variant }))}
      />
      <ProblemMessage problem={change.error} />
      {flag.kind === 'variant' && <VariantsForm flag={flag} />}
      <RuleList flag={flag} />
      <AddRuleForm flag={flag} />
      <p className="muted small-text">{t('operator.flags.changed', { when: formatDateTime(flag.updatedAt), who: flag.updatedBy ?? '—' })}</p>
    </section>
  );
}

function VariantsForm({ flag }: { flag: FeatureFlag }) {
  const [text, setText] = useState(flag.variants.join(', '));
  const change = useFlagChange(flag);
  const problem = formProblem(change.error);
  const save = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ variants: listOf(text) });
  };
  return (
    <form onSubmit={save} className="inline-form">
      <TextField label={t('operator.flags.variants')} hint={t('operator.flags.variantsHint')} value={text} onChange={setText} error={problem.forField('variants')} />
      <ProblemMessage problem={problem.forForm(['variants'])} />
      <button type="submit" className="secondary small" disabled={change.isPending}>
        {change.isPending ? t('operator.flags.saving') : t('operator.flags.saveVariants')}
      </button>
    </form>
  );
}

function RuleList({ flag }: { flag: FeatureFlag }) {
  const change = useFlagChange(flag);
  const remove = (index: number) => change.mutate({ rules: flag.rules.filter((_, at) => at !== index) });
  return (
    <>
      <h3>{t('operator.flags.rules')}</h3>
      {flag.rules.length === 0 ? (
        <p className="muted small-text">{t('operator.flags.noRules')}</p>
      ) : (
        <ol aria-label={t('operator.flags.rules')}>
          {flag.rules.map((rule, index) => (
            <li key={`${index}-${rule.match}`}>
              {ruleText(rule)}{' '}
              <button type="button" className="link-button" disabled={change.isPending} onClick={() => remove(index)}>
                {t('operator.flags.removeRule', { number: index + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
      <ProblemMessage problem={change.error} />
    </>
  );
}

function ruleOf(match: RuleMatch, fields: { ids: string; percentage: string; by: 'company' | 'person'; variant: string }): FlagRule {
  const { variant } = fields;
  if (match === 'companies' || match === 'people') return { match, ids: listOf(fields.ids), variant };
  if (match === 'roles') return { match, roles: listOf(fields.ids) as Role[], variant };
  return { match, by: fields.by, percentage: Number(fields.percentage), variant };
}

function AddRuleForm({ flag }: { flag: FeatureFlag }) {
  const [match, setMatch] = useState<RuleMatch>('companies');
  const [ids, setIds] = useState('');
  const [percentage, setPercentage] = useState('10');
  const [by, setBy] = useState<'company' | 'person'>('company');
  const [variant, setVariant] = useState(flag.variants.find((name) => name !== flag.defaultVariant) ?? flag.defaultVariant);
  const change = useFlagChange(flag, () => setIds(''));
  const problem = formProblem(change.error);
  const add = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ rules: [...flag.rules, ruleOf(match, { ids, percentage, by, variant })] });
  };
  const matches: { value: RuleMatch; label: string }[] = [
    { value: 'companies', label: t('operator.flags.matchCompanies') },
    { value: 'people', label: t('operator.flags.matchPeople') },
    { value: 'roles', label: t('operator.flags.matchRoles') },
    { value: 'percentage', label: t('operator.flags.matchPercentage') },
  ];
  return (
    <form onSubmit={add} aria-label={t('operator.flags.addRule')}>
      <h3>{t('operator.flags.addRule')}</h3>
      <SelectField label={t('operator.flags.match')} value={match} onChange={(value) => setMatch(value as RuleMatch)} options={matches} />
      {match === 'percentage' ? (
        <>
          <TextField label={t('operator.flags.percentage')} inputMode="numeric" value={percentage} onChange={setPercentage} error={problem.forField('percentage')} />
          <SelectField
            label={t('operator.flags.by')}
            value={by}
            onChange={(value) => setBy(value as 'company' | 'person')}
            options={[{ value: 'company', label: t('operator.flags.byCompany') }, { value: 'person', label: t('operator.flags.byPerson') }]}
          />
        </>
      ) : (
        <TextField
          label={match === 'roles' ? t('operator.flags.roles') : t('operator.flags.ids')}
          hint={match === 'roles' ? t('operator.flags.rolesHint') : t('operator.flags.idsHint')}
          value={ids}
          onChange={setIds}
          required
        />
      )}
      <SelectField label={t('operator.flags.gives')} value={variant} onChange={setVariant} options={flag.variants.map((name) => ({ value: name, label: name }))} />
      <ProblemMessage problem={problem.forForm(['percentage'])} />
      <button type="submit" className="primary small" disabled={change.isPending}>
        {change.isPending ? t('operator.flags.adding') : t('operator.flags.addRule')}
      </button>
    </form>
  );
}
