// Corrections of a company's wallet by the platform's operators, with four eyes. Money enters a
// wallet from the bank (a reconciled statement of the top-up account); when that went wrong
// (a transfer booked twice, to the wrong company, for the wrong amount) an operator proposes a
// correction: the company, a signed amount and the reason. Nothing moves until a different
// operator approves it; the approval books it as one balanced journal entry, in the same
// transaction, and the company's audit trail names both people.
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { lockWalletForFunding, postEntry } from '../ledger/ledger.service.js';
import { formatAmount, parseAmount } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './wallet.repository.js';

export type { CorrectionRow } from './wallet.repository.js';

/** A reason long enough to say what went wrong and where the evidence is. */
export const correctionReasonLengthMax = 500;

export interface CorrectionProposal {
  companyId: string;
  /** Signed decimal string in the wallet's currency: "250.00" credits the wallet, "-250.00" debits it. */
  amount: string;
  reason: string;
}

/** An operator: a person of the platform. The caller has checked that they are one. */
export type Operator = Actor & { actorType: 'user'; actorId: string };

function auditDetails(row: repo.CorrectionRow) {
  return { amount: formatAmount(row.amount, row.currency), currency: row.currency, reason: row.reason, proposedBy: row.proposed_by };
}

export async function proposeCorrection(db: Db, operator: Operator, proposal: CorrectionProposal, now: Date): Promise<repo.CorrectionRow> {
  const reason = proposal.reason.trim();
  if (reason.length === 0 || reason.length > correctionReasonLengthMax) {
    throw new DomainError('validation_failed', `a correction gives its reason in 1 to ${correctionReasonLengthMax} characters`, 'reason');
  }
  return db.transaction().execute(async (trx) => {
    const company = await getCompany(trx, proposal.companyId);
    if (company.is_platform) throw new DomainError('validation_failed', 'the platform has no wallet to correct', 'companyId');
    const amount = parseAmount(proposal.amount, company.currency, { allowNegative: true });
    const row = await repo.insertCorrection(trx, {
      company_id: company.id,
      id: newId('walletCorrection', now.getTime()),
      amount,
      currency: company.currency,
      reason,
      state: 'proposed',
      proposed_by: operator.actorId,
      proposed_at: now,
      approved_by: null,
      approved_at: null,
      entry_id: null,
    });
    await recordAudit(trx, { companyId: company.id, ...operator, action: 'wallet.correction_proposed', subjectType: 'wallet_correction', subjectId: row.id, details: auditDetails(row) });
    return row;
  });
}

/**
 * Approves a correction another operator proposed, and books it: the wallet moves by its
 * amount against wallet funding, as a top-up does. A debit beyond what the wallet has
 * available is refused (insufficient_funds), and nothing is written.
 */
export async function approveCorrection(db: Db, operator: Operator, id: string, now: Date): Promise<repo.CorrectionRow> {
  const found = await repo.findCorrection(db, id);
  if (!found) throw notFound('wallet correction');
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockCorrection(trx, found.company_id, id);
    if (!row) throw notFound('wallet correction');
    if (row.state !== 'proposed') throw new DomainError('conflict', `the correction was approved already, by ${row.approved_by}`);
    if (row.proposed_by === operator.actorId) {
      throw new DomainError('forbidden', 'a correction is approved by another operator than the one who proposed it (four eyes)');
    }
    const accounts = await lockWalletForFunding(trx, row.company_id);
    if (!accounts) throw notFound('wallet');
    const entry = await postEntry(trx, {
      companyId: row.company_id,
      kind: 'wallet_correction',
      description: `Wallet corrected by the platform: ${row.reason}`.slice(0, 500),
      cause: { type: 'wallet_correction', id: row.id },
      effectiveAt: now,
      postings: [
        { accountId: accounts.wallet.id, amount: row.amount },
        { accountId: accounts.funding.id, amount: -row.amount },
      ],
    });
    const approved = await repo.markCorrectionApproved(trx, row.company_id, row.id, { approved_by: operator.actorId, approved_at: now, entry_id: entry.id });
    await recordAudit(trx, {
      companyId: row.company_id,
      ...operator,
      action: 'wallet.correction_approved',
      subjectType: 'wallet_correction',
      subjectId: row.id,
      details: { ...auditDetails(approved), approvedBy: operator.actorId, entryId: entry.id },
    });
    return approved;
  });
}

export const listCorrections = repo.listCorrections;
