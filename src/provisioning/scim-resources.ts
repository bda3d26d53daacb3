// How Outlay's people and teams look as SCIM 2.0 resources (RFC 7643): a person is a User
// whose userName is their e-mail and whose roles are Outlay's roles; a team is a Group whose
// members are its people. What identity providers send is read back into the same terms.
import type { Role } from '../db/schema.js';

export const scimUserSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const scimGroupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const scimListSchema = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const scimPatchSchema = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const scimContentType = 'application/scim+json';

export interface ScimPerson {
  id: string;
  email: string;
  name: string;
  roles: readonly Role[];
  status: 'invited' | 'active' | 'deactivated';
  team: { id: string; name: string } | null;
  createdAt: Date;
}

export function userResource(person: ScimPerson, baseUrl: string) {
  return {
    schemas: [scimUserSchema],
    id: person.id,
    userName: person.email,
    name: { formatted: person.name },
    displayName: person.name,
    emails: [{ value: person.email, type: 'work', primary: true }],
    // An invited person is provisioned and may accept the invitation: active until deactivated.
    active: person.status !== 'deactivated',
    roles: person.roles.map((role) => ({ value: role })),
    groups: person.team ? [{ value: person.team.id, display: person.team.name, $ref: `${baseUrl}/Groups/${person.team.id}` }] : [],
    meta: { resourceType: 'User', created: person.createdAt.toISOString(), location: `${baseUrl}/Users/${person.id}` },
  };
}

export function groupResource(team: { id: string; name: string; createdAt: Date }, members: readonly { id: string; name: string }[], baseUrl: string) {
  return {
    schemas: [scimGroupSchema],
    id: team.id,
    displayName: team.name,
    members: members.map((member) => ({ value: member.id, display: member.name, $ref: `${baseUrl}/Users/${member.id}` })),
    meta: { resourceType: 'Group', created: team.createdAt.toISOString(), location: `${baseUrl}/Groups/${team.id}` },
  };
}

export function listResponse<T>(resources: readonly T[], totalResults: number, startIndex: number) {
  return { schemas: [scimListSchema], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

export class ScimInputError extends Error {
  constructor(
    message: string,
    readonly scimType: 'invalidValue' | 'invalidSyntax' | 'invalidFilter' | 'invalidPath' | 'mutability' | 'noTarget',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ScimInputError';
  }
}

const outlayRoles: readonly Role[] = ['admin', 'bookkeeper', 'reviewer', 'employee'];

/** SCIM roles ([{ value }] or plain strings) as Outlay's; none given: employee. */
export function rolesOf(value: unknown): Role[] {
  if (value === undefined || value === null) return ['employee'];
  if (!Array.isArray(value)) throw new ScimInputError('roles is a list', 'invalidValue', 'roles');
  const names = value.map((entry: unknown) => (typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : undefined));
  const roles = names.map((name) => {
    const role = typeof name === 'string' ? name.trim().toLowerCase() : '';
    if (!(outlayRoles as readonly string[]).includes(role)) throw new ScimInputError(`a role is one of ${outlayRoles.join(', ')}, not ${JSON.stringify(name)}`, 'invalidValue', 'roles');
    return role as Role;
  });
  return roles.length === 0 ? ['employee'] : [...new Set(roles)];
}

/** A person's one name from what a User carries: displayName, name.formatted, or given and family names. */
export function nameOf(resource: Record<string, unknown>): string | undefined {
  const name = (resource.name ?? {}) as Record<string, unknown>;
  const pick = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const parts = [pick(name.givenName), pick(name.familyName)].filter((part): part is string => part !== undefined);
  return pick(resource.displayName) ?? pick(name.formatted) ?? (parts.length > 0 ? parts.join(' ') : undefined);
}

/** SCIM booleans arrive as true/false, and from some providers as "True"/"False". */
export function booleanOf(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new ScimInputError(`${field} is true or false`, 'invalidValue', field);
}
