import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { roles, type CompanyRole, type Invitation, type InvitationCreated, type Person, type Team } from '../api/types';
import { CheckboxGroup, CopyField, SelectField, TextField } from '../components/fields';
import { useFormProblem } from '../components/form-problem';
import { ProblemMessage } from '../components/status';
import type { Pages } from '../components/use-pages';
import { formatDateTime, roleLabels } from '../format';
import { useSession } from '../session';
import { noTeam, teamOptions } from './team-options';

const fieldNames = ['email', 'name', 'roles', 'teamId'] as const;

interface InviteFormProps {
  teams: Pages<Team>;
  onInvited: (person: Person) => void;
}

export function InviteForm({ teams, onInvited }: InviteFormProps) {
  const { session } = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [chosenRoles, setChosenRoles] = useState<CompanyRole[]>(['employee']);
  const [teamId, setTeamId] = useState(noTeam);
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<{ person: Person; invitation: Invitation } | null>(null);
  const problem = useFormProblem();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    problem.setProblem(null);
    setInvited(null);
    try {
      const body = { email: email.trim(), name: name.trim(), roles: chosenRoles, ...(teamId ? { teamId } : {}) };
      const created = await api.post<InvitationCreated>('/people/invitations', body);
      onInvited(created.person);
      setInvited(created);
      setEmail('');
      setName('');
      setChosenRoles(['employee']);
      setTeamId(noTeam);
    } catch (error) {
      problem.fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card wide-card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a person</h2>
      <form className="two-column-form" onSubmit={submit} aria-label="Invite a person">
        <TextField label="E-mail" type="email" required autoComplete="off" value={email} onChange={setEmail} error={problem.forField('email')} />
        <TextField label="Name" required autoComplete="off" value={name} onChange={setName} error={problem.forField('name')} />
        <CheckboxGroup
          legend="Roles"
          choices={roles}
          labels={roleLabels}
          selected={chosenRoles}
          onChange={setChosenRoles}
          error={problem.forField('roles')}
        />
        <SelectField label="Team" value={teamId} onChange={setTeamId} options={teamOptions(teams)} error={problem.forField('teamId')} />
        <div className="full-row">
          <ProblemMessage problem={problem.forForm(fieldNames)} />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Inviting…' : 'Invite'}
          </button>
        </div>
      </form>
      {invited && (
        <div className="notice success" role="status">
          <p>
            <strong>{invited.person.name}</strong> is invited. Send them this link; it works until{' '}
            {formatDateTime(invited.invitation.expiresAt, session.company.timeZone)}.
          </p>
          <CopyField label="Invite link" value={invited.invitation.url} />
        </div>
      )}
    </section>
  );
}
