import { describe, expect, it } from 'vitest';
import { parseScimFilter } from './scim-filter.js';

describe('parseScimFilter', () => {
  it.each([
    ['userName eq "bjensen@example.com"', [{ attribute: 'username', value: 'bjensen@example.com' }]],
    ['UserName EQ "Bjensen"', [{ attribute: 'username', value: 'Bjensen' }]],
    ['emails.value eq "a@b.dk"', [{ attribute: 'emails.value', value: 'a@b.dk' }]],
    ['displayName eq "Sales and Marketing"', [{ attribute: 'displayname', value: 'Sales and Marketing' }]],
    ['displayName eq "say \\"hi\\""', [{ attribute: 'displayname', value: 'say "hi"' }]],
    ['userName eq "a@b.c" and active eq "true"', [{ attribute: 'username', value: 'a@b.c' }, { attribute: 'active', value: 'true' }]],
  ])('reads %s', (filter, conditions) => {
    expect(parseScimFilter(filter)).toEqual({ ok: true, conditions });
  });

  it.each([
    'userName co "jensen"',
    'userName eq bjensen',
    'userName eq "a" or userName eq "b"',
    '(userName eq "a")',
    'emails[type eq "work"].value eq "a@b.c"',
    '',
    `userName eq "${'x'.repeat(1000)}"`,
  ])('refuses %s', (filter) => {
    expect(parseScimFilter(filter).ok).toBe(false);
  });
});
