import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CompanyRole, InvitationCreated, Team } from '../api/types';
import { CheckboxGroup, CopyField, SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import type { Pages } from '../components/use-pages';
import { companyRoles, formatDateTime, roleLabels } from '../format';
import { useSession } from '../session';
import { noTeam, teamOptions } from './team-options';
import { t } from '../i18n/i18n';

const fieldNames = ['email', 'name', 'roles', 'teamId'] as const;

export function InviteForm({ teams }: { teams: Pages<Team> }) {
  const { session } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [chosenRoles, setChosenRoles] = useState<CompanyRole[]>(['employee']);
  const [teamId, setTeamId] = useState(noTeam);
  const [invited, setInvited] = useState<InvitationCreated | null>(null);
  const body = { email: email.trim(), name: name.trim(), roles: chosenRoles, ...(teamId ? { teamId } : {}) };
  const invite = useAction(() => ok(api.POST('/api/v1/people/invitations', { body })), {
    invalidates: ['/api/v1/people'],
    onSuccess: (created) => {
      setInvited(created);
      setEmail('');
      setName('');
      setChosenRoles(['employee']);
      setTeamId(noTeam);
    },
  });
  const problem = formProblem(invite.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setInvited(null);
    invite.mutate();
  }

  return (
    <section className="card wide-card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('admin.invite.heading')}</h2>
      <form className="two-column-form" onSubmit={submit} aria-label={t('admin.invite.heading')}>
        <TextField label={t('pages.login.email')} type="email" required autoComplete="off" value={email} onChange={setEmail} error={problem.forField('email')} />
        <TextField label={t('admin.invite.name')} required autoComplete="off" value={name} onChange={setName} error={problem.forField('name')} />
        <CheckboxGroup
          legend={t('admin.invite.roles')}
          choices={companyRoles}
          labels={roleLabels}
          selected={chosenRoles}
          onChange={setChosenRoles}
          error={problem.forField('roles')}
        />
        <SelectField label={t('admin.invite.team')} value={teamId} onChange={setTeamId} options={teamOptions(teams)} error={problem.forField('teamId')} />
        <div className="full-row">
          <ProblemMessage problem={problem.forForm(fieldNames)} />
          <button type="submit" className="primary" disabled={invite.isPending}>
            {invite.isPending ? t('admin.invite.inviting') : t('admin.invite.invite')}
          </button>
        </div>
      </form>
      {invited && (
        <div className="notice success" role="status">
          <p>
            <strong>{invited.person.name}</strong> {t('admin.invite.invited', { time: formatDateTime(invited.invitation.expiresAt, session.company.timeZone) })}
          </p>
          {/* A replay of the request has no link: the server never keeps it in clear. */}
          {invited.invitation.url && <CopyField label={t('admin.invite.link')} value={invited.invitation.url} />}
        </div>
      )}
    </section>
  );
}
