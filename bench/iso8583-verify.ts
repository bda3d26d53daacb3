// After the ISO 8583 benchmark: does the database hold exactly what the answers said?
// - approvals_held: every approval answered (HTTP approved, or ISO 8583 field 39 = 00 with an
//   approval code) has exactly one pending card transaction under its network id, for its
//   amount, whose hold is an open pending transfer of that amount; the HTTP answer names that
//   transaction, the ISO 8583 approval code is the one made from it;
// - nothing_else_held: no pending transaction that no answer approved;
// - reserved_matches_answers: the wallet's reserved amount (credits pending) is the sum of
//   the approvals answered;
// - ledger_verified: verifyLedger finds no violation.
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { approvalCodeOf } from '../src/iso8583/iso8583-processor.js';
import { walletAccount } from '../src/ledger/chart-of-accounts.js';
import { verifyLedger } from '../src/ledger/verify.js';
import type { AnsweredApproval } from './iso8583-client.js';

interface HeldRow {
  network_id: string;
  id: string;
  wallet_amount: bigint;
  hold_state: string | null;
  hold_amount: bigint | null;
}

/** Problems listed at most: enough to see the pattern. */
const problemsShownMax = 10;

function checkApproval(approval: AnsweredApproval, rows: HeldRow[] | undefined): string | null {
  const name = `${approval.transport} ${approval.networkId}`;
  if (!rows || rows.length !== 1) return `${name}: ${rows?.length ?? 0} pending transactions`;
  const row = rows[0]!;
  if (BigInt(row.wallet_amount) !== approval.amount) return `${name}: holds ${row.wallet_amount}, answered ${approval.amount}`;
  if (row.hold_state !== 'pending' || BigInt(row.hold_amount ?? -1n) !== approval.amount) return `${name}: its hold is ${row.hold_state ?? 'missing'} for ${row.hold_amount ?? '-'}`;
  if (approval.transactionId !== null && approval.transactionId !== row.id) return `${name}: answered transaction ${approval.transactionId}, holds ${row.id}`;
  if (approval.approvalCode !== null && approval.approvalCode !== approvalCodeOf(row.id)) return `${name}: approval code ${approval.approvalCode} is not that of ${row.id}`;
  return null;
}

export async function verifyApprovals(db: Db, approvals: readonly AnsweredApproval[]) {
  const report = await verifyLedger(db);
  const held = await sql<HeldRow>`
    select t.network_id, t.id, t.wallet_amount, p.state as hold_state, p.amount as hold_amount
    from card_transactions t
    left join pending_transfers p on p.company_id = t.company_id and p.id = t.hold_id
    where t.state = 'pending'`.execute(db);
  const byNetworkId = new Map<string, HeldRow[]>();
  for (const row of held.rows) byNetworkId.set(row.network_id, [...(byNetworkId.get(row.network_id) ?? []), row]);
  const problems = approvals.map((approval) => checkApproval(approval, byNetworkId.get(approval.networkId))).filter((problem): problem is string => problem !== null);
  const answered = new Set(approvals.map((approval) => approval.networkId));
  const unanswered = held.rows.filter((row) => !answered.has(row.network_id));
  const wallet = await sql<{ reserved: bigint }>`select coalesce(sum(credits_pending), 0)::bigint as reserved from ledger_accounts where code = ${walletAccount.code}`.execute(db);
  const reserved = BigInt(wallet.rows[0]?.reserved ?? 0n);
  const approvedSum = approvals.reduce((sum, approval) => sum + approval.amount, 0n);
  return {
    checks: {
      approvals_held: problems.length === 0,
      nothing_else_held: unanswered.length === 0,
      reserved_matches_answers: reserved === approvedSum,
      ledger_verified: report.ok,
    },
    totals: { approvals: approvals.length, pending_transactions: held.rows.length, approved_minor: approvedSum.toString(), reserved_minor: reserved.toString() },
    problems: [...problems, ...unanswered.map((row) => `${row.network_id}: pending, no approval answered`)].slice(0, problemsShownMax),
    ledger: { accounts: report.accounts, entries: report.entries, violations: report.violations.slice(0, problemsShownMax).map((v) => `${v.invariant} ${v.subject}: ${v.detail}`) },
  };
}
