// Payee accounts: the bank account each person's reimbursements are paid to. A person keeps
// their own; an API key has none.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import { checkBankAccount } from './bank-account.js';
import * as repo from './books.repository.js';

export type { PayeeAccountRow } from './books.repository.js';

export interface PayeeAccountInput {
  holderName: string;
  iban: string;
  bic?: string | null;
}

function personOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'payee accounts belong to people');
  return principal.userId;
}

export async function setPayeeAccount(db: Db, companyId: string, userId: string, input: PayeeAccountInput): Promise<repo.PayeeAccountRow> {
  const account = checkBankAccount({ name: input.holderName, iban: input.iban, bic: input.bic }, 'payeeAccount');
  return repo.upsertPayeeAccount(db, { company_id: companyId, user_id: userId, holder_name: account.name, iban: account.iban, bic: account.bic });
}

/** The signed-in person's own account. */
export async function getOwnPayeeAccount(db: Db, principal: Principal): Promise<repo.PayeeAccountRow> {
  const account = await repo.findPayeeAccount(db, principal.companyId, personOf(principal));
  if (!account) throw notFound('payee account');
  return account;
}

export async function setOwnPayeeAccount(db: Db, principal: Principal, input: PayeeAccountInput): Promise<repo.PayeeAccountRow> {
  return setPayeeAccount(db, principal.companyId, personOf(principal), input);
}

/** The bank accounts on file of these people (those without one are left out). */
export async function findPayeeAccounts(db: Db, companyId: string, userIds: readonly string[]): Promise<repo.PayeeAccountRow[]> {
  return repo.findPayeeAccounts(db, companyId, userIds);
}
