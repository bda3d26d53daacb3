// How people and teams look in the API: their schemas and the presentation of their rows.
import { Type } from 'typebox';
import { operatorRole, roles } from '../auth/permissions.js';
import { iso } from '../http/schemas.js';
import type { TeamRow, UserRow } from './people.service.js';

/** A person read back may also be a platform operator, a role no company gives. */
const HeldRoleSchema = Type.Union([...roles, operatorRole].map((role) => Type.Literal(role)));

export const PersonSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    roles: Type.Array(HeldRoleSchema),
    teamId: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Person' },
);

export const InvitationCreatedSchema = Type.Object(
  {
    person: Type.Ref('Person'),
    invitation: Type.Object({ id: Type.String(), url: Type.Union([Type.String(), Type.Null()], { description: 'The link to share with the invitee; null for an API key (the link is never given to one) and in a replay of an earlier request' }), expiresAt: Type.String({ format: 'date-time' }) }),
  },
  { $id: 'InvitationCreated' },
);

export const TeamSchema = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'Team' });

export function presentPerson(row: UserRow) {
  return { id: row.id, email: row.email, name: row.name, roles: row.roles, teamId: row.team_id, status: row.status, createdAt: iso(row.created_at) };
}

export const presentTeam = (row: TeamRow) => ({ id: row.id, name: row.name });
