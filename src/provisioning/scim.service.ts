// Provisioning over SCIM 2.0: an identity provider creates, changes and deactivates a
// company's people and sorts them into teams, through the people module's own functions, so
// every rule (one active admin at least, valid roles, the audit trail, sessions ended on
// deactivation) holds as it does for a person changing them in the app.
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { Role } from '../db/schema.js';
import * as people from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { ScimCondition } from './scim-filter.js';
import type { MembersChange, UserChange } from './scim-patch.js';
import { ScimInputError, type ScimPerson } from './scim-resources.js';

/** People (and teams) a company provisions over SCIM: lists are filtered and paged in memory
 * up to this many, past which SCIM is refused rather than answered in part. */
export const scimPeopleMax = 10_000;
/** Resources in one page of a SCIM list (RFC 7644 lets the server cap `count`). */
export const scimPageSizeMax = 200;

export interface ProvisioningDeps {
  db: Db;
  invitations: people.InvitationSettings;
  endAccess: people.EndAccess;
}

async function allPeople(db: Db, companyId: string): Promise<people.UserRow[]> {
  const rows = await people.listPeople(db, companyId, undefined, scimPeopleMax + 1);
  if (rows.length > scimPeopleMax) throw new DomainError('validation_failed', `SCIM serves companies of at most ${scimPeopleMax} people`);
  return rows.reverse();
}

async function teamsById(db: Db, companyId: string): Promise<Map<string, people.TeamRow>> {
  const teams = await people.listTeams(db, companyId, undefined, scimPeopleMax + 1);
  return new Map(teams.map((team) => [team.id, team]));
}

function scimPersonOf(row: people.UserRow, teams: Map<string, people.TeamRow>): ScimPerson {
  const team = row.team_id ? teams.get(row.team_id) : undefined;
  return { id: row.id, email: row.email, name: row.name, roles: row.roles, status: row.status, team: team ? { id: team.id, name: team.name } : null, createdAt: row.created_at };
}

function matchesUser(row: people.UserRow, condition: ScimCondition): boolean {
  switch (condition.attribute) {
    case 'username':
    case 'emails.value':
    case 'emails':
      return row.email === condition.value.trim().toLowerCase();
    case 'displayname':
    case 'name.formatted':
      return row.name === condition.value;
    case 'id':
      return row.id === condition.value;
    case 'active':
      return (row.status !== 'deactivated') === (condition.value.toLowerCase() === 'true');
    case 'externalid':
      // Outlay keeps no external id: providers that look one up then find the person by userName.
      return false;
    default:
      throw new ScimInputError(`Users cannot be filtered by ${condition.attribute}`, 'invalidFilter', 'filter');
  }
}

export async function listUsers(db: Db, companyId: string, conditions: readonly ScimCondition[], page: { startIndex: number; count: number }) {
  const [rows, teams] = await Promise.all([allPeople(db, companyId), teamsById(db, companyId)]);
  const matching = rows.filter((row) => conditions.every((condition) => matchesUser(row, condition)));
  return { total: matching.length, people: matching.slice(page.startIndex - 1, page.startIndex - 1 + page.count).map((row) => scimPersonOf(row, teams)) };
}

export async function getUser(db: Db, companyId: string, id: string): Promise<ScimPerson> {
  const [row, teams] = await Promise.all([people.findPerson(db, companyId, id), teamsById(db, companyId)]);
  if (!row) throw notFound('user');
  return scimPersonOf(row, teams);
}

/** Creates the person as invited: the invitation is theirs to accept (or they sign in with the
 * company's single sign-on). An address the company has already is a uniqueness conflict. */
/** Who provisions: the actor the trail names, and the permissions that bound the roles they
 * may give (a key grants no role beyond its own scopes). */
export interface Provisioner {
  actor: Actor;
  grantor: people.Grantor;
}

export async function createUser(deps: ProvisioningDeps, companyId: string, input: { email: string; name: string; roles: Role[]; active: boolean }, { actor, grantor }: Provisioner, now: Date): Promise<ScimPerson> {
  if (!input.active) throw new ScimInputError('a person is provisioned active; deactivate them afterwards', 'invalidValue', 'active');
  const invited = await people.invitePerson(deps.db, deps.invitations, companyId, { email: input.email, name: input.name, roles: input.roles }, actor, now, grantor);
  return getUser(deps.db, companyId, invited.person.id);
}

export async function changeUser(deps: ProvisioningDeps, companyId: string, id: string, change: UserChange, { actor, grantor }: Provisioner, now: Date): Promise<ScimPerson> {
  const before = await getUser(deps.db, companyId, id);
  if (change.active === true && before.status === 'deactivated') {
    throw new ScimInputError('a deactivated person cannot be activated again in Outlay; provision a new person', 'mutability', 'active');
  }
  if (change.name !== undefined || change.roles !== undefined) {
    await people.updatePerson(deps.db, companyId, id, { ...(change.name !== undefined ? { name: change.name } : {}), ...(change.roles !== undefined ? { roles: change.roles } : {}) }, actor, grantor);
  }
  if (change.active === false) await people.deactivatePerson(deps.db, companyId, id, actor, deps.endAccess, now);
  return getUser(deps.db, companyId, id);
}

export async function userBefore(db: Db, companyId: string, id: string): Promise<{ email: string; roles: readonly Role[] }> {
  const person = await getUser(db, companyId, id);
  return { email: person.email, roles: person.roles };
}

export interface ScimTeam {
  team: { id: string; name: string; createdAt: Date };
  members: { id: string; name: string }[];
}

function teamOf(team: people.TeamRow, rows: readonly people.UserRow[]): ScimTeam {
  return { team: { id: team.id, name: team.name, createdAt: team.created_at }, members: rows.filter((row) => row.team_id === team.id && row.status !== 'deactivated').map((row) => ({ id: row.id, name: row.name })) };
}

export async function listGroups(db: Db, companyId: string, conditions: readonly ScimCondition[], page: { startIndex: number; count: number }) {
  const [rows, teams] = await Promise.all([allPeople(db, companyId), teamsById(db, companyId)]);
  const matching = [...teams.values()].reverse().filter((team) =>
    conditions.every((condition) => {
      if (condition.attribute === 'displayname') return team.name === condition.value;
      if (condition.attribute === 'id') return team.id === condition.value;
      if (condition.attribute === 'externalid') return false;
      throw new ScimInputError(`Groups cannot be filtered by ${condition.attribute}`, 'invalidFilter', 'filter');
    }),
  );
  return { total: matching.length, teams: matching.slice(page.startIndex - 1, page.startIndex - 1 + page.count).map((team) => teamOf(team, rows)) };
}

export async function getGroup(db: Db, companyId: string, id: string): Promise<ScimTeam> {
  const [rows, teams] = await Promise.all([allPeople(db, companyId), teamsById(db, companyId)]);
  const team = teams.get(id);
  if (!team) throw notFound('group');
  return teamOf(team, rows);
}

export async function createGroup(deps: ProvisioningDeps, companyId: string, input: { name: string; memberIds: string[] }, actor: Actor): Promise<ScimTeam> {
  const team = await people.createTeam(deps.db, companyId, input.name, actor);
  await changeMembers(deps.db, companyId, team.id, [{ kind: 'add', userIds: input.memberIds }], actor);
  return getGroup(deps.db, companyId, team.id);
}

/** A person is in one team at most: joining this one leaves their other; leaving it leaves them in none. */
export async function changeMembers(db: Db, companyId: string, teamId: string, changes: readonly MembersChange[], actor: Actor): Promise<ScimTeam> {
  const current = await getGroup(db, companyId, teamId);
  const members = new Set(current.members.map((member) => member.id));
  for (const change of changes) {
    if (change.kind === 'replace') {
      for (const id of members) if (!change.userIds.includes(id)) await setTeam(db, companyId, id, null, actor);
      for (const id of change.userIds) if (!members.has(id)) await setTeam(db, companyId, id, teamId, actor);
      members.clear();
      change.userIds.forEach((id) => members.add(id));
    } else {
      for (const id of change.userIds) {
        if (change.kind === 'add' && !members.has(id)) await setTeam(db, companyId, id, teamId, actor);
        if (change.kind === 'remove' && members.has(id)) await setTeam(db, companyId, id, null, actor);
        if (change.kind === 'add') members.add(id);
        else members.delete(id);
      }
    }
  }
  return getGroup(db, companyId, teamId);
}

async function setTeam(db: Db, companyId: string, userId: string, teamId: string | null, actor: Actor): Promise<void> {
  // Another company's person, or no person: not found, as if the id did not exist.
  if (!(await people.findPerson(db, companyId, userId))) throw new ScimInputError(`no User ${userId} in this company`, 'invalidValue', 'members');
  // A team gives no permission: whoever may provision may move people between teams.
  await people.updatePerson(db, companyId, userId, { teamId }, actor, 'system');
}
