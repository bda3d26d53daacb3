import { describe, expect, it } from 'vitest';
import { decideSsoSignIn, type ExistingPerson, type SsoClaims, type SsoPolicy } from './sso-sign-in.js';

const policy: SsoPolicy = { verifiedDomains: ['fjord.test'], provisionPeople: true, defaultRoles: ['employee'], roleClaim: null, roleMap: {} };
const mapping: SsoPolicy = { ...policy, roleClaim: 'groups', roleMap: { 'outlay-admins': 'admin', finance: 'bookkeeper', everyone: 'employee', bad: 'owner' } };
const claims = (extra: SsoClaims = {}): SsoClaims => ({ email: 'Mette@Fjord.test', email_verified: true, name: 'Mette', ...extra });
const active: ExistingPerson = { id: 'usr_1', status: 'active', roles: ['employee'] };

describe('decideSsoSignIn', () => {
  it.each<[string, SsoPolicy, SsoClaims, ExistingPerson | null, object]>([
    // Refusals, in the order they are checked.
    ['no e-mail claim', policy, { email_verified: true }, active, { allowed: false, reason: 'email_missing' }],
    ['an address the provider did not verify', policy, claims({ email_verified: false }), active, { allowed: false, reason: 'email_unverified' }],
    ['email_verified as a string', policy, claims({ email_verified: 'true' }), active, { allowed: false, reason: 'email_unverified' }],
    ['a domain the company has not proven', policy, claims({ email: 'mette@other.test' }), active, { allowed: false, reason: 'domain_not_verified' }],
    ['a look-alike subdomain', policy, claims({ email: 'mette@evil.fjord.test' }), active, { allowed: false, reason: 'domain_not_verified' }],
    ['a mapped claim giving no role', mapping, claims({ groups: ['visitors', 'bad', 'toString'] }), active, { allowed: false, reason: 'no_role' }],
    ['a deactivated person', policy, claims(), { ...active, status: 'deactivated' }, { allowed: false, reason: 'person_deactivated' }],
    ['nobody, without provisioning', { ...policy, provisionPeople: false }, claims(), null, { allowed: false, reason: 'no_person' }],
    // Admissions.
    ['an active person', policy, claims(), active, { allowed: true, action: 'sign_in', email: 'mette@fjord.test', name: 'Mette', roles: null }],
    ['an invited person joins', policy, claims(), { ...active, status: 'invited' }, { allowed: true, action: 'join', roles: null }],
    ['nobody yet, provisioned with the default roles', policy, claims({ name: undefined }), null, { allowed: true, action: 'provision', name: 'mette@fjord.test', roles: ['employee'] }],
    ['roles from the groups claim', mapping, claims({ groups: ['finance', 'everyone', 'finance'] }), null, { allowed: true, action: 'provision', roles: ['bookkeeper', 'employee'] }],
    ['a single-valued role claim', mapping, claims({ groups: 'outlay-admins' }), active, { allowed: true, action: 'sign_in', roles: ['admin'] }],
  ])('%s', (_name, given, tokenClaims, existing, decision) => {
    expect(decideSsoSignIn(given, tokenClaims, existing)).toMatchObject(decision);
  });
});
