// Each company's payment reference: the ISO 11649 creditor reference it writes on the
// transfers to the top-up account, by which reconciliation finds its top-ups.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { listCompanies } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import * as repo from './bank.repository.js';
import { creditorReference } from './creditor-reference.js';
import { platformOwnerOf } from './statement-owner.js';

const referenceBodyChars = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Body length of a new reference: 12 characters of 32, far from any collision. */
const referenceBodyLength = 12;

/** The company's creditor reference, made on first use. */
export async function paymentReferenceOf(db: Db, companyId: string): Promise<string> {
  for (;;) {
    const existing = await repo.findReferenceOfCompany(db, companyId);
    if (existing) return existing;
    const body = [...randomBytes(referenceBodyLength)].map((byte) => referenceBodyChars[byte % referenceBodyChars.length]).join('');
    // Another process may make one at the same moment: whichever lands first is the company's.
    await repo.insertReference(db, companyId, creditorReference(body)).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
  }
}

export interface CompanyWithReference {
  id: string;
  name: string;
  currency: string;
  reference: string;
}

/** The companies an operator can assign a transfer to, with their payment references. */
export async function listCompaniesWithReferences(db: Db, principal: Principal): Promise<CompanyWithReference[]> {
  await platformOwnerOf(db, principal);
  const items = [];
  for (const company of await listCompanies(db)) items.push({ id: company.id, name: company.name, currency: company.currency, reference: await paymentReferenceOf(db, company.id) });
  return items;
}
