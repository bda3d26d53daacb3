// What the two single sign-on forms (OpenID Connect and SAML) share: whether people are added
// on their first sign-in and with which roles, the claim or attribute whose values give roles
// and their mapping, and whether sign-in by the provider is on.
import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { paths } from '../api/schema.gen';
import type { CompanyRole, SsoSettings } from '../api/types';
import { CheckboxGroup, TextAreaField, TextField } from '../components/fields';
import { formProblem, type FormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import { companyRoles, roleLabels } from '../format';
import { t } from '../i18n/i18n';

export type SsoConnection = NonNullable<SsoSettings['connection']>;

export interface AccessDraft {
  provisionPeople: boolean;
  defaultRoles: CompanyRole[];
  roleClaim: string;
  roleMapText: string;
  enabled: boolean;
}

/** The saved connection's options (of either protocol), or a new connection's. */
export function accessDraftOf(current: SsoConnection | null): AccessDraft {
  return {
    provisionPeople: current?.provisionPeople ?? false,
    defaultRoles: (current?.defaultRoles as CompanyRole[] | undefined) ?? ['employee'],
    roleClaim: current?.roleClaim ?? '',
    roleMapText: Object.entries(current?.roleMap ?? {}).map(([value, role]) => `${value} = ${role}`).join('\n'),
    enabled: current?.enabled ?? true,
  };
}

/** The body's part of the options, or the role map's line that is not "value = role". */
export function accessBodyOf(draft: AccessDraft):
  | { body: { provisionPeople: boolean; defaultRoles: CompanyRole[]; roleClaim: string | null; roleMap: Record<string, CompanyRole>; enabled: boolean } }
  | { badLine: string } {
  const roleMap: Record<string, CompanyRole> = {};
  for (const line of draft.roleMapText.split('\n').map((entry) => entry.trim()).filter((entry) => entry !== '')) {
    const cut = line.lastIndexOf('=');
    const value = line.slice(0, cut).trim();
    const role = line.slice(cut + 1).trim() as CompanyRole;
    if (cut <= 0 || value === '' || !companyRoles.includes(role)) return { badLine: line };
    roleMap[value] = role;
  }
  const roleClaim = draft.roleClaim.trim();
  return { body: { provisionPeople: draft.provisionPeople, defaultRoles: draft.defaultRoles, roleClaim: roleClaim === '' ? null : roleClaim, roleMap, enabled: draft.enabled } };
}

export const accessFieldNames = ['provisionPeople', 'defaultRoles', 'roleClaim', 'roleMap', 'enabled'] as const;

interface AccessFieldsProps {
  draft: AccessDraft;
  onChange: (draft: AccessDraft) => void;
  problem: FormProblem;
  roleMapError: string | undefined;
  /** What the protocol calls the source of roles: an ID token's claim, an assertion's attribute. */
  words: { roleClaim: string; roleClaimHint: string; roleMap: string };
}

export function AccessFields({ draft, onChange, problem, roleMapError, words }: AccessFieldsProps) {
  const set = <K extends keyof AccessDraft>(key: K) => (value: AccessDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={draft.provisionPeople} onChange={(event) => set('provisionPeople')(event.target.checked)} />
        {t('admin.sso.provisionPeople')}
      </label>
      <CheckboxGroup legend={t('admin.sso.defaultRoles')} choices={companyRoles} labels={roleLabels} selected={draft.defaultRoles} onChange={set('defaultRoles')} error={problem.forField('defaultRoles')} />
      <TextField label={words.roleClaim} hint={words.roleClaimHint} value={draft.roleClaim} onChange={set('roleClaim')} error={problem.forField('roleClaim')} />
      <TextAreaField label={words.roleMap} hint={t('admin.sso.roleMapHint')} value={draft.roleMapText} onChange={set('roleMapText')} error={roleMapError ?? problem.forField('roleMap')} />
      <label className="checkbox">
        <input type="checkbox" checked={draft.enabled} onChange={(event) => set('enabled')(event.target.checked)} />
        {t('admin.sso.enabled')}
      </label>
    </>
  );
}

type SsoBody = NonNullable<paths['/api/v1/sso']['put']['requestBody']>['content']['application/json'];
type AccessBody = Extract<ReturnType<typeof accessBodyOf>, { body: unknown }>['body'];

/** A connection form's state and its saving: the options above, and the PUT of the body the
 * protocol's form makes of them. */
export function useConnectionForm(current: SsoConnection | null, onSaved: () => void) {
  const [draft, setDraft] = useState(() => accessDraftOf(current));
  const [roleMapError, setRoleMapError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const save = useAction((body: SsoBody) => ok(api.PUT('/api/v1/sso', { body })), {
    invalidates: ['/api/v1/sso'],
    onSuccess: () => {
      setSaved(true);
      onSaved();
    },
  });
  function submit(event: FormEvent, bodyOf: (access: AccessBody) => SsoBody) {
    event.preventDefault();
    setSaved(false);
    const access = accessBodyOf(draft);
    if ('badLine' in access) {
      setRoleMapError(t('admin.sso.roleMapBad', { line: access.badLine }));
      return;
    }
    setRoleMapError(undefined);
    save.mutate(bodyOf(access.body));
  }
  return { draft, setDraft, roleMapError, saved, save, problem: formProblem(save.error), submit };
}

/** The end of a connection form: a problem not beside a field, that it is saved, and Save. */
export function SaveFooter({ form, fieldNames }: { form: ReturnType<typeof useConnectionForm>; fieldNames: readonly string[] }) {
  return (
    <>
      <ProblemMessage problem={form.problem.forForm([...fieldNames, ...accessFieldNames])} />
      {form.saved && !form.save.isPending && (
        <p className="notice success" role="status">
          {t('admin.sso.saved')}
        </p>
      )}
      <button type="submit" className="primary" disabled={form.save.isPending}>
        {form.save.isPending ? t('admin.saving') : t('admin.save')}
      </button>
    </>
  );
}
