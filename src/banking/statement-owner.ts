// Whose statements a request or a command is about: the platform's top-up account, whose
// statements only the platform's operators see, or one company's own account.
import type { Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';

/** Whose statements: the platform's top-up account, or one company's own account. */
export interface StatementOwner {
  companyId: string;
  isPlatform: boolean;
}

/** The account a route's statements are of: the top-up account (operators) or the company's own. */
export type StatementAccount = 'top_up' | 'own';

/** Operator routes act for the platform: a principal of any other company finds nothing. */
export async function platformOwnerOf(db: Db, principal: Principal): Promise<StatementOwner> {
  const company = await getCompany(db, principal.companyId);
  if (!company.is_platform) throw new DomainError('forbidden', 'bank statements of the top-up account are the platform operators\' work');
  return { companyId: company.id, isPlatform: true };
}

export async function companyOwnerOf(db: Db, companyId: string): Promise<StatementOwner> {
  const company = await getCompany(db, companyId);
  return { companyId: company.id, isPlatform: company.is_platform };
}

export async function ownerFor(db: Db, principal: Principal, account: StatementAccount): Promise<StatementOwner> {
  return account === 'top_up' ? platformOwnerOf(db, principal) : companyOwnerOf(db, principal.companyId);
}
