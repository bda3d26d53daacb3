import { describe, expect, it } from 'vitest';
import { groupChangeOf, userChangeOf } from './scim-patch.js';
import { scimPatchSchema } from './scim-resources.js';

const patch = (...Operations: unknown[]) => ({ schemas: [scimPatchSchema], Operations });
const before = { email: 'mia@example.com', roles: ['employee' as const, 'reviewer' as const] };

describe('userChangeOf', () => {
  it.each([
    ['deactivation by path (Okta)', patch({ op: 'replace', path: 'active', value: false }), { active: false }],
    ['deactivation as a string (Entra ID)', patch({ op: 'Replace', path: 'active', value: 'False' }), { active: false }],
    ['several attributes without a path', patch({ op: 'replace', value: { active: true, displayName: 'Mia Holm' } }), { active: true, name: 'Mia Holm' }],
    ['the name as its parts', patch({ op: 'replace', path: 'name', value: { givenName: 'Mia', familyName: 'Holm' } }), { name: 'Mia Holm' }],
    ['roles replaced', patch({ op: 'replace', path: 'roles', value: [{ value: 'bookkeeper' }] }), { roles: ['bookkeeper'] }],
    ['a role added', patch({ op: 'add', path: 'roles', value: [{ value: 'Admin' }] }), { roles: ['employee', 'reviewer', 'admin'] }],
    ['a role removed', patch({ op: 'remove', path: 'roles', value: [{ value: 'reviewer' }] }), { roles: ['employee'] }],
    ['every role removed', patch({ op: 'remove', path: 'roles' }), { roles: ['employee'] }],
    ['the same e-mail, prefixed path', patch({ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:userName', value: 'MIA@example.com' }), {}],
    ['attributes Outlay keeps nothing of', patch({ op: 'add', path: 'title', value: 'CFO' }, { op: 'replace', path: 'phoneNumbers', value: [] }), {}],
  ])('reads %s', (_name, body, change) => {
    expect(userChangeOf(body, before)).toEqual(change);
  });

  it.each([
    ['no PatchOp schema', { Operations: [{ op: 'replace', path: 'active', value: false }] }, 'invalidSyntax'],
    ['no operation', patch(), 'invalidSyntax'],
    ['an unknown op', patch({ op: 'move', path: 'active', value: false }), 'invalidSyntax'],
    ['active as a word', patch({ op: 'replace', path: 'active', value: 'nope' }), 'invalidValue'],
    ['an unknown role', patch({ op: 'replace', path: 'roles', value: [{ value: 'owner' }] }), 'invalidValue'],
    ['a new e-mail', patch({ op: 'replace', path: 'userName', value: 'other@example.com' }), 'mutability'],
    ['active removed', patch({ op: 'remove', path: 'active' }), 'mutability'],
  ])('refuses %s', (_name, body, scimType) => {
    expect(() => userChangeOf(body, before)).toThrow(expect.objectContaining({ scimType }));
  });
});

describe('groupChangeOf', () => {
  it.each([
    ['members added', patch({ op: 'add', path: 'members', value: [{ value: 'usr_1' }, { value: 'usr_2' }] }), { members: [{ kind: 'add', userIds: ['usr_1', 'usr_2'] }] }],
    ['a member removed by filter (Entra ID)', patch({ op: 'remove', path: 'members[value eq "usr_1"]' }), { members: [{ kind: 'remove', userIds: ['usr_1'] }] }],
    ['members removed by value (Okta)', patch({ op: 'remove', path: 'members', value: [{ value: 'usr_2' }] }), { members: [{ kind: 'remove', userIds: ['usr_2'] }] }],
    ['members replaced', patch({ op: 'replace', path: 'members', value: [{ value: 'usr_3' }] }), { members: [{ kind: 'replace', userIds: ['usr_3'] }] }],
    ['a new name without a path', patch({ op: 'replace', value: { displayName: 'Sales DK' } }), { members: [], displayName: 'Sales DK' }],
  ])('reads %s', (_name, body, change) => {
    expect(groupChangeOf(body)).toEqual(change);
  });

  it('refuses a path it cannot change', () => {
    expect(() => groupChangeOf(patch({ op: 'replace', path: 'externalId', value: 'x' }))).toThrow(expect.objectContaining({ scimType: 'invalidPath' }));
  });
});
