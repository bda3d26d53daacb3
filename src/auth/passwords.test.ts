import { describe, expect, it } from 'vitest';
import { passwordCostOwasp } from '../config/config.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { permissionBeyond, permissionsOfRoles } from './permissions.js';

const low = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('are made at OWASP\'s cost, scrypt N=2^17 r=8 p=1, with the parameters stored (128 MiB, above node\'s default maxmem)', async () => {
    expect(passwordCostOwasp).toEqual({ N: 131_072, r: 8, p: 1 });
    const stored = await hashPassword('correct-horse-battery-staple', passwordCostOwasp);
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(await verifyPassword('correct-horse-battery-staple', stored)).toBe(true);
    expect(await verifyPassword('correct-horse-battery-stapler', stored)).toBe(false);
  });

  it('are made again when stored at less than the current cost', async () => {
    const stored = await hashPassword('correct-horse-battery-staple', low);
    expect(needsRehash(stored, low)).toBe(false);
    expect(needsRehash(stored, { ...low, N: low.N * 2 })).toBe(true);
    expect(needsRehash(stored, { ...low, r: 16 })).toBe(true);
    expect(needsRehash('not-a-hash', low)).toBe(true);
  });

  it('refuse a stored hash asking for an absurd cost instead of allocating for it', async () => {
    const stored = await hashPassword('correct-horse-battery-staple', low);
    const tampered = stored.replace('$1024$', `$${2 ** 24}$`);
    expect(await verifyPassword('correct-horse-battery-staple', tampered)).toBe(false);
  });
});

describe('permissionBeyond', () => {
  it('names what a role would give beyond the granter\'s own permissions', () => {
    expect(permissionBeyond(['admin'], new Set(['people:write']))).toBe('company:read');
    expect(permissionBeyond(['employee'], new Set(['company:read', 'people:write']))).toBeNull();
    expect(permissionBeyond(['reviewer'], permissionsOfRoles(['bookkeeper']))).toBe('expenses:review');
    expect(permissionBeyond(['admin', 'employee'], permissionsOfRoles(['admin']))).toBeNull();
  });
});
