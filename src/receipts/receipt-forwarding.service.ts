// Personal forwarding addresses, receipts+<token>@<domain>: a person's token is made on
// first use and names them when a receipt is e-mailed to it.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { findPerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { receiptAddress } from './mail-in/receipt-address.js';
import { ownerOf } from './receipt-access.js';
import * as repo from './receipts.repository.js';

export const forwardingTokenLength = 12;
/** Lower case letters and digits without the ones people confuse (l, o, 0, 1). */
const tokenAlphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

function newForwardingToken(): string {
  return [...randomBytes(forwardingTokenLength)].map((byte) => tokenAlphabet[byte % tokenAlphabet.length]).join('');
}

/** The person's forwarding token, made on first use. */
async function forwardingTokenOf(db: Db, companyId: string, userId: string): Promise<string> {
  const existing = await repo.findAddressOfUser(db, companyId, userId);
  if (existing) return existing.token;
  return (await repo.ensureAddress(db, { token: newForwardingToken(), company_id: companyId, user_id: userId })).token;
}

/** The caller's own forwarding address at `domain`. */
export async function myForwardingAddress(db: Db, principal: Principal, domain: string): Promise<string> {
  const userId = ownerOf(principal);
  if (!userId) throw new DomainError('forbidden', 'forwarding addresses belong to people; an API key has none');
  return receiptAddress(await forwardingTokenOf(db, principal.companyId, userId), domain);
}

/** Resolves a forwarding token to its person, or null (also when they were deactivated). */
export async function findForwardingOwner(db: Db, token: string): Promise<{ companyId: string; userId: string } | null> {
  const found = await repo.findAddressByToken(db, token);
  if (!found) return null;
  const person = await findPerson(db, found.company_id, found.user_id);
  return person?.status === 'active' ? { companyId: found.company_id, userId: found.user_id } : null;
}
