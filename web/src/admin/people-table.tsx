import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { useAction } from '../api/queries';
import type { CompanyRole, Person, Team } from '../api/types';
import { CheckboxGroup, SelectField, TextField } from '../components/fields';
import { formProblem } from '../components/form-problem';
import { ConfirmButton } from '../components/confirm-button';
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading, ProblemMessage } from '../components/status';
import type { Pages, PagesHandle } from '../components/use-pages';
import { companyRoles, formatRoles, roleLabels, statusLabels } from '../format';
import { useSession } from '../session';
import { noTeam, teamName, teamOptions } from './team-options';
import { t } from '../i18n/i18n';

interface PeopleTableProps {
  people: PagesHandle<Person>;
  teams: Pages<Team>;
}

export function PeopleTable({ people, teams }: PeopleTableProps) {
  const { pages } = people;
  return (
    <section className="card wide-card" aria-labelledby="people-heading">
      <h2 id="people-heading">{t('layout.sections.people')}</h2>
      {pages.status === 'loading' && <Loading what={t('admin.people.what')} />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={people.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('admin.people.empty')}</Empty>
        ) : (
          <table className="responsive-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.invite.name')}</th>
                <th scope="col">{t('pages.login.email')}</th>
                <th scope="col">{t('admin.invite.roles')}</th>
                <th scope="col">{t('admin.invite.team')}</th>
                <th scope="col">{t('admin.cards.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.cards.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((person) => (
                <PersonRow key={person.id} person={person} teams={teams} />
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={people.loadMore} what={t('admin.people.what')} />
    </section>
  );
}

function PersonRow({ person, teams }: { person: Person; teams: Pages<Team> }) {
  const [editing, setEditing] = useState(false);
  const canChange = person.status !== 'deactivated';

  return (
    <>
      <tr>
        <td data-label={t('admin.invite.name')}>{person.name}</td>
        <td data-label={t('pages.login.email')} className="break">
          {person.email}
        </td>
        <td data-label={t('admin.invite.roles')}>{formatRoles(person.roles)}</td>
        <td data-label={t('admin.invite.team')}>{teamName(teams, person.teamId)}</td>
        <td data-label={t('admin.cards.status')}>
          <span className={`badge badge-${person.status}`}>{statusLabels[person.status]}</span>
        </td>
        <td className="actions-cell">
          {canChange && (
            <div className="row-actions">
              <button
                type="button"
                className="secondary small"
                aria-expanded={editing}
                aria-label={editing ? t('admin.people.closeNamed', { name: person.name }) : t('admin.people.editNamed', { name: person.name })}
                onClick={() => setEditing(!editing)}
              >
                {editing ? t('admin.close') : t('admin.people.edit')}
              </button>
              <DeactivateButton person={person} />
            </div>
          )}
        </td>
      </tr>
      {editing && (
        <tr className="edit-row">
          <td colSpan={6}>
            <PersonEditor
              person={person}
              teams={teams}
              onSaved={() => setEditing(false)}
              onCancel={() => setEditing(false)}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** A change to a person: the people lists are fetched again, and the header too when it is
 * the admin's own record. */
function usePersonAction<Variables>(run: (variables: Variables) => Promise<Person>, onSuccess?: () => void) {
  const { personChanged } = useSession();
  return useAction(run, {
    invalidates: ['/api/v1/people'],
    onSuccess: (updated) => {
      personChanged(updated);
      onSuccess?.();
    },
  });
}

function DeactivateButton({ person }: { person: Person }) {
  const deactivate = usePersonAction(() => ok(api.POST('/api/v1/people/{id}/deactivate', { params: { path: { id: person.id } } })));

  return (
    <>
      <ConfirmButton
        label={t('admin.people.deactivate')}
        accessibleLabel={t('admin.people.deactivateNamed', { name: person.name })}
        question={t('admin.people.deactivateQuestion', { name: person.name })}
        confirmLabel={t('admin.people.deactivateConfirm')}
        busy={deactivate.isPending}
        onConfirm={() => deactivate.mutate()}
      />
      <ProblemMessage problem={deactivate.error} />
    </>
  );
}

interface PersonEditorProps {
  person: Person;
  teams: Pages<Team>;
  onSaved: () => void;
  onCancel: () => void;
}

function PersonEditor({ person, teams, onSaved, onCancel }: PersonEditorProps) {
  const [name, setName] = useState(person.name);
  const [chosenRoles, setChosenRoles] = useState<CompanyRole[]>(() => companyRoles.filter((role) => person.roles.includes(role)));
  const [teamId, setTeamId] = useState(person.teamId ?? noTeam);
  // teamId null takes the person out of their team.
  const body = { roles: chosenRoles, teamId: teamId === noTeam ? null : teamId, ...(name.trim() !== person.name ? { name: name.trim() } : {}) };
  const save = usePersonAction(() => ok(api.PATCH('/api/v1/people/{id}', { params: { path: { id: person.id } }, body })), onSaved);
  const problem = formProblem(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="person-editor" onSubmit={submit} aria-label={t('admin.people.changeNamed', { name: person.name })}>
      <TextField label={t('admin.people.nameOf', { name: person.name })} required value={name} onChange={setName} error={problem.forField('name')} />
      <CheckboxGroup
        legend={t('admin.people.rolesOf', { name: person.name })}
        choices={companyRoles}
        labels={roleLabels}
        selected={chosenRoles}
        onChange={setChosenRoles}
        error={problem.forField('roles')}
      />
      <SelectField
        label={t('admin.people.teamOf', { name: person.name })}
        value={teamId}
        onChange={setTeamId}
        options={teamOptions(teams, person.teamId)}
        error={problem.forField('teamId')}
      />
      <ProblemMessage problem={problem.forForm(['name', 'roles', 'teamId'])} />
      <div className="button-row">
        <button type="submit" className="primary small" disabled={save.isPending}>
          {save.isPending ? t('admin.saving') : t('admin.save')}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}
