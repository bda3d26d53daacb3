// The platform's side of wallet funding: the platform company (whose operators import the
// top-up account's statements), each company's payment reference and top-up instructions,
// and low-balance alerts.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { createCompany, getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { parseAmount } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { DomainError } from '../shared/errors.js';
import * as repo from './bank.repository.js';
import { creditorReference, formatCreditorReference } from './creditor-reference.js';
import type { StatementOwner, TopUpAccount } from './statement-import.service.js';

export const platformCompanyName = 'Outlay platform';

/** The platform company, made on first start (by whichever process gets there first). */
export async function ensurePlatformCompany(db: Db, currency: string) {
  const existing = await repo.findPlatformCompany(db);
  if (existing) return existing;
  try {
    return await createCompany(db, { name: platformCompanyName, currency, isPlatform: true });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await repo.findPlatformCompany(db);
    if (!raced) throw error;
    return raced;
  }
}

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

// --- Payment references -----------------------------------------------------------------------

const referenceBodyChars = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Body length of a new reference: 12 characters of 32, far from any collision. */
export const referenceBodyLength = 12;

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

export interface TopUpInstructions {
  accountName: string;
  iban: string;
  bic: string | null;
  currency: string;
  reference: string;
  referenceFormatted: string;
  /** When the company's wallet is in another currency than the account takes. */
  warning: string | null;
}

export async function topUpInstructions(db: Db, companyId: string, account: TopUpAccount): Promise<TopUpInstructions> {
  const [company, reference] = await Promise.all([getCompany(db, companyId), paymentReferenceOf(db, companyId)]);
  return {
    accountName: account.name,
    iban: account.iban,
    bic: account.bic,
    currency: account.currency,
    reference,
    referenceFormatted: formatCreditorReference(reference),
    warning: company.currency === account.currency ? null : `your wallet is in ${company.currency}; the top-up account takes ${account.currency}: ask support before sending`,
  };
}

// --- Low-balance alerts -----------------------------------------------------------------------

export async function getLowBalanceAlert(db: Db, companyId: string) {
  const [alert, company] = await Promise.all([repo.findAlert(db, companyId), getCompany(db, companyId)]);
  return { below: alert?.low_balance_below ?? null, alertedAt: alert?.alerted_at ?? null, currency: company.currency };
}

export async function setLowBalanceAlert(db: Db, companyId: string, below: string | null) {
  const company = await getCompany(db, companyId);
  const amount = below === null ? null : parseAmount(below, company.currency, { field: 'lowBalanceBelow', allowZero: true });
  await repo.upsertAlertThreshold(db, companyId, amount);
  return getLowBalanceAlert(db, companyId);
}

export const alertSweepMax = 1_000;

/**
 * Tells a company's admins once when its available funds fall below its threshold, and
 * again only after the funds were back above it. Returns how many companies were alerted.
 */
export async function sweepLowBalances(db: Db, now = new Date()): Promise<number> {
  let alerted = 0;
  let after = '';
  for (;;) {
    const candidates = await repo.listAlertCandidates(db, after, alertSweepMax);
    for (const candidate of candidates) {
      if (candidate.available >= candidate.below) {
        if (candidate.alertedAt) await repo.setAlerted(db, candidate.companyId, null);
        continue;
      }
      if (candidate.alertedAt) continue;
      const claimed = await db.transaction().execute(async (trx) => {
        // Another process may be sweeping too: only the one that claims the alert sends it.
        if (!(await repo.claimAlert(trx, candidate.companyId, now))) return false;
        for (const admin of await repo.listActiveAdmins(trx, candidate.companyId)) {
          await notify(trx, {
            companyId: candidate.companyId,
            userId: admin,
            kind: 'wallet_low_balance',
            subject: { type: 'wallet_alert', id: `${candidate.companyId}:${now.toISOString()}:${admin}` },
            title: 'The wallet is running low',
            body: 'Available funds are below the threshold you set. Top up with your payment reference so cards keep working.',
          }, now);
        }
        return true;
      });
      if (claimed) alerted += 1;
    }
    if (candidates.length < alertSweepMax) return alerted;
    after = candidates[candidates.length - 1]!.companyId;
  }
}
