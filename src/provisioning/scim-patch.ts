// SCIM PATCH (RFC 7644, 3.5.2) read into the changes Outlay makes: for a User its active
// state, name and roles; for a Group its members added, removed or replaced. Operations name
// an attribute in `path`, or give several in a `value` object without one; what Outlay does not
// keep (phone numbers, titles) is passed over, what it cannot change (the e-mail) is refused.
import type { Role } from '../db/schema.js';
import { booleanOf, nameOf, rolesOf, ScimInputError, scimPatchSchema } from './scim-resources.js';

export interface UserChange {
  active?: boolean;
  name?: string;
  roles?: Role[];
}

export type MembersChange = { kind: 'add' | 'remove'; userIds: string[] } | { kind: 'replace'; userIds: string[] };

/** Operations in one PATCH: more is refused. */
export const scimOperationsMax = 100;

interface Operation {
  op: 'add' | 'remove' | 'replace';
  path: string | null;
  value: unknown;
}

function operationsOf(body: unknown): Operation[] {
  const patch = (body ?? {}) as { schemas?: unknown; Operations?: unknown };
  if (!Array.isArray(patch.schemas) || !patch.schemas.includes(scimPatchSchema)) throw new ScimInputError(`a PATCH names the schema ${scimPatchSchema}`, 'invalidSyntax', 'schemas');
  if (!Array.isArray(patch.Operations) || patch.Operations.length === 0) throw new ScimInputError('a PATCH has at least one operation', 'invalidSyntax', 'Operations');
  if (patch.Operations.length > scimOperationsMax) throw new ScimInputError(`a PATCH has at most ${scimOperationsMax} operations`, 'invalidSyntax', 'Operations');
  return patch.Operations.map((raw: unknown) => {
    const operation = (raw ?? {}) as { op?: unknown; path?: unknown; value?: unknown };
    const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw new ScimInputError(`op is add, remove or replace, not ${JSON.stringify(operation.op)}`, 'invalidSyntax', 'op');
    if (operation.path !== undefined && typeof operation.path !== 'string') throw new ScimInputError('path is a string', 'invalidPath', 'path');
    return { op, path: typeof operation.path === 'string' && operation.path.trim() !== '' ? operation.path.trim() : null, value: operation.value };
  });
}

/** Attributes as a provider may spell them, with or without the core schema's prefix. */
function attributeOf(path: string): string {
  return path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, '').toLowerCase();
}

/** The person as the PATCH finds them: their login and roles. */
export interface UserBefore {
  email: string;
  roles: readonly Role[];
}

export function userChangeOf(body: unknown, before: UserBefore): UserChange {
  const change: UserChange = {};
  for (const operation of operationsOf(body)) {
    const values: [string, unknown][] = operation.path === null
      ? Object.entries((operation.value ?? {}) as Record<string, unknown>).map(([key, value]) => [key.toLowerCase(), value])
      : [[attributeOf(operation.path), operation.value]];
    for (const [attribute, value] of values) applyToUser(change, operation.op, attribute, value, before);
  }
  return change;
}

/** Roles after an operation on them: add joins, remove takes away (all of them without a value), replace sets. */
function changedRoles(op: Operation['op'], value: unknown, current: readonly Role[]): Role[] {
  if (op === 'replace') return rolesOf(value);
  if (op === 'add') return [...new Set([...current, ...rolesOf(value)])];
  if (value === undefined || value === null) return ['employee'];
  const removed = new Set(rolesOf(value));
  const left = current.filter((role) => !removed.has(role));
  return left.length === 0 ? ['employee'] : left;
}

function applyToUser(change: UserChange, op: Operation['op'], attribute: string, value: unknown, before: UserBefore): void {
  switch (attribute) {
    case 'active':
      if (op === 'remove') throw new ScimInputError('active cannot be removed', 'mutability', 'active');
      change.active = booleanOf(value, 'active');
      return;
    case 'displayname':
    case 'name.formatted':
    case 'name': {
      if (op === 'remove') return;
      const name = attribute === 'name' ? nameOf({ name: value }) : typeof value === 'string' ? value.trim() : undefined;
      if (!name) throw new ScimInputError(`${attribute} is a non-empty string`, 'invalidValue', attribute);
      change.name = name;
      return;
    }
    case 'name.givenname':
    case 'name.familyname':
      // A single part cannot be set on a single name without the other: displayName says it whole.
      return;
    case 'roles':
      change.roles = changedRoles(op, value, change.roles ?? before.roles);
      return;
    case 'username':
    case 'emails':
    case 'emails[type eq "work"].value': {
      const given = attribute === 'username' ? value : Array.isArray(value) ? (value[0] as { value?: unknown } | undefined)?.value : value;
      if (typeof given === 'string' && given.trim().toLowerCase() === before.email) return;
      throw new ScimInputError('the e-mail (userName) of a person is their login and cannot be changed here', 'mutability', 'userName');
    }
    default:
      // Attributes Outlay keeps nothing of (title, phoneNumbers, the enterprise extension).
      return;
  }
}

const memberFilter = /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i;

function memberIdsOf(value: unknown): string[] {
  if (!Array.isArray(value)) throw new ScimInputError('members is a list of { value }', 'invalidValue', 'members');
  return value.map((member: unknown) => {
    const id = (member as { value?: unknown } | null)?.value;
    if (typeof id !== 'string' || id === '') throw new ScimInputError('each member has a value, the id of a User', 'invalidValue', 'members');
    return id;
  });
}

/** A Group PATCH: its changes of members in order, and a new displayName if one was given. */
export function groupChangeOf(body: unknown): { members: MembersChange[]; displayName?: string } {
  const result: { members: MembersChange[]; displayName?: string } = { members: [] };
  for (const operation of operationsOf(body)) {
    const path = operation.path?.toLowerCase() ?? null;
    const filtered = operation.path ? memberFilter.exec(operation.path) : null;
    if (filtered && operation.op === 'remove') {
      result.members.push({ kind: 'remove', userIds: [filtered[1]!] });
    } else if (path === 'members') {
      result.members.push({ kind: operation.op, userIds: operation.op === 'remove' && operation.value === undefined ? [] : memberIdsOf(operation.value) });
    } else if (path === 'displayname' || (path === null && typeof (operation.value as { displayName?: unknown })?.displayName === 'string')) {
      const name = path === null ? (operation.value as { displayName: string }).displayName : operation.value;
      if (typeof name !== 'string' || name.trim() === '') throw new ScimInputError('displayName is a non-empty string', 'invalidValue', 'displayName');
      result.displayName = name.trim();
      if (path === null && (operation.value as { members?: unknown }).members !== undefined) result.members.push({ kind: operation.op === 'remove' ? 'remove' : operation.op, userIds: memberIdsOf((operation.value as { members: unknown }).members) });
    } else if (path === null && (operation.value as { members?: unknown } | undefined)?.members !== undefined) {
      result.members.push({ kind: operation.op, userIds: memberIdsOf((operation.value as { members: unknown }).members) });
    } else {
      throw new ScimInputError(`a Group's ${operation.path ?? 'value'} cannot be changed; members and displayName can`, 'invalidPath', 'path');
    }
  }
  return result;
}
