// The company wallet: its balance, what holds have reserved of it, and top-ups.
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { getWallet as getWalletAccount, lockWalletForFunding, postEntry } from '../ledger/ledger.service.js';
import { parseAmount, parseCurrency } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './wallet.repository.js';
import { recordWebhookEvent } from '../webhooks/webhooks.service.js';
import { toMoneyJson } from '../money/money.js';

export type { TopUpRow } from './wallet.repository.js';

export interface WalletBalances {
  currency: string;
  balance: bigint;
  available: bigint;
  reserved: bigint;
}

export async function getWallet(db: Db, companyId: string): Promise<WalletBalances> {
  const { currency, balance, available, reserved } = await getWalletAccount(db, companyId);
  return { currency, balance, available, reserved };
}

export interface TopUpInput {
  amount: string;
  currency: string;
  bankReference: string;
  receivedOn: string;
}

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

function checkReceivedOn(value: string, today: Date): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!isoDatePattern.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new DomainError('validation_failed', `"${value}" is not a date in the form YYYY-MM-DD`, 'receivedOn');
  }
  if (date.getTime() > today.getTime() + 24 * 3600 * 1000) {
    throw new DomainError('validation_failed', 'a transfer cannot be received in the future', 'receivedOn');
  }
  return value;
}

/**
 * Records a bank transfer received into the wallet: one balanced entry, in one transaction.
 * No route calls it: money comes in from reconciled statements (bookTopUp) or an operator's
 * approved correction. The demo's seeding, the benchmarks and tests book their transfers here.
 */
export async function recordTopUp(db: Db, companyId: string, input: TopUpInput, actor: Actor, now: Date): Promise<repo.TopUpRow> {
  const currency = parseCurrency(input.currency);
  const amount = parseAmount(input.amount, currency);
  return db.transaction().execute((trx) => bookTopUp(trx, companyId, { amount, currency, bankReference: input.bankReference, receivedOn: input.receivedOn, bankEntryId: null }, actor, now));
}

/**
 * Books a top-up inside the caller's transaction: bank reconciliation books the top-ups of
 * a statement in the transaction that records the statement.
 */
export async function bookTopUp(
  trx: Db,
  companyId: string,
  input: { amount: bigint; currency: string; bankReference: string; receivedOn: string; bankEntryId: string | null },
  actor: Actor,
  now: Date,
): Promise<repo.TopUpRow> {
  const { amount, currency } = input;
  if (amount <= 0n) throw new DomainError('invalid_money', 'a top-up is a positive amount', 'amount');
  const receivedOn = checkReceivedOn(input.receivedOn, now);
  const bankReference = input.bankReference.trim();
  if (bankReference.length === 0 || bankReference.length > 140) {
    throw new DomainError('validation_failed', 'a bank reference has 1 to 140 characters', 'bankReference');
  }
  // Top-ups of a company take turns on the wallet rows before looking for the reference,
  // so a concurrent duplicate sees the first one committed and is refused as a duplicate
  // rather than failing later on the unique index.
  const accounts = await lockWalletForFunding(trx, companyId);
  if (!accounts) throw notFound('wallet');
  const { wallet, funding } = accounts;
  if (wallet.currency !== currency) {
    throw new DomainError('currency_mismatch', `the wallet is kept in ${wallet.currency}, not ${currency}`, 'currency');
  }
  if (await repo.findTopUpByReference(trx, companyId, bankReference)) {
    throw new DomainError('duplicate_top_up', `a top-up with bank reference "${bankReference}" is already recorded`, 'bankReference');
  }
  const id = newId('topUp');
  const entry = await postEntry(trx, {
    companyId,
    kind: 'wallet_top_up',
    description: `Bank transfer received, reference ${bankReference}`,
    cause: { type: 'wallet_top_up', id },
    effectiveAt: new Date(`${receivedOn}T00:00:00Z`),
    postings: [
      { accountId: wallet.id, amount },
      { accountId: funding.id, amount: -amount },
    ],
  });
  const topUp = await repo.insertTopUp(trx, {
    company_id: companyId,
    id,
    amount,
    currency,
    bank_reference: bankReference,
    received_on: receivedOn,
    recorded_by: actor.actorId ?? 'system',
    entry_id: entry.id,
    bank_entry_id: input.bankEntryId,
  });
  await recordAudit(trx, { companyId, ...actor, action: 'wallet.top_up_recorded', subjectType: 'wallet_top_up', subjectId: id, details: { amount: amount.toString(), currency, bankReference, bankEntryId: input.bankEntryId } });
  await recordWebhookEvent(trx, companyId, 'top_up.received', { id, amount: toMoneyJson(amount, currency), bankReference, receivedOn }, now);
  return topUp;
}

export const listTopUps = repo.listTopUps;
