// How expenses and their history look in the API: their schemas and the presentation of
// their rows, shared by the routes of expenses and of their review.
import { Type, type TSchema } from 'typebox';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { iso } from '../http/schemas.js';
import { checkRate, formatRate } from '../fx/exchange-rate.js';
import { merchantCreditReasons } from '../cards/refund-allocation.js';
import { toMoneyJson } from '../money/money.js';
import { metersToKilometres } from './expense-fields.js';
import { policyFlags } from './expense-policy.js';
import { detailsOf, type ExpenseDetails, type ExpenseEventRow, type ExpenseRow } from './expenses.service.js';
import { approverKinds } from './review-rules.js';
import { refusalOf, reviewStatesOf, type ReviewState } from './review-state.js';

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const literals = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)));
export const expenseKinds = ['card', 'out_of_pocket', 'mileage', 'per_diem'];
export const expenseStates = ['draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'voided'];
export const exportStates = ['not_exported', 'queued', 'exporting', 'exported', 'failed'];
export const reimbursementStates = ['none', 'owed', 'in_batch', 'paid'];

export const ExpenseReviewSchema = Type.Object(
  {
    round: Type.Integer({ description: 'Which time the expense is in review: 2 once it came back from changes requested' }),
    step: Type.Object({
      key: Type.String(),
      name: Type.String(),
      approver: Type.String({ enum: [...approverKinds] }),
      position: Type.Integer({ description: '1-based, among the steps of this round' }),
      of: Type.Integer({ description: 'How many steps this round has' }),
    }),
    waitingFor: Type.Array(Type.String(), { description: 'The people the step waits for (at most 20): the reviewer it came back to, the team\'s named reviewers, its budget owner, or everyone who may decide it' }),
    returnedTo: nullable(Type.String({ description: 'The reviewer who asked for the changes this round answers; they decide the step they sent it back from' })),
    approvals: Type.Array(Type.Object({ stepKey: Type.String(), stepName: Type.String(), userId: Type.String(), approvedAt: Type.String({ format: 'date-time' }) })),
    youMayDecide: Type.Boolean({ description: 'Whether you may approve, reject or send back the expense now' }),
  },
  { $id: 'ExpenseReview', description: 'Where the review of an expense in review stands' },
);

export const ExpenseSchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    kind: Type.String({ enum: expenseKinds }),
    state: Type.String({ enum: expenseStates }),
    cardTransactionId: nullable(Type.String()),
    receipt: Type.Object({
      state: Type.String({ enum: ['attached', 'lost', 'missing', 'not_required'] }),
      receiptId: nullable(Type.String()),
      mismatches: Type.Array(Type.Ref('ReceiptMismatch'), { description: 'Where the receipt\'s reading disagrees with the expense (flag receipt_mismatch); empty when it agrees' }),
      note: nullable(Type.String({ description: 'Why the owner attached a receipt that disagrees' })),
    }),
    spentOn: Type.String({ format: 'date' }),
    merchant: nullable(Type.String()),
    note: nullable(Type.String()),
    amount: Type.Ref('Money', { description: 'In the company\'s currency: what is paid back and booked' }),
    original: nullable(
      Type.Object(
        { amount: Type.Ref('Money'), rate: Type.String({ description: 'ECB reference rate, units of the company\'s currency per unit paid' }), rateDate: Type.String({ format: 'date', description: 'The ECB publication day of the rate' }) },
        { description: 'Out of pocket in another currency: what was paid, and the rate it was converted at' },
      ),
    ),
    mileage: nullable(Type.Object({ distanceKm: Type.String(), ratePerKm: Type.Ref('Money'), route: nullable(Type.String()) })),
    perDiem: nullable(Type.Object({ country: Type.String(), days: Type.Integer(), dailyRate: Type.Ref('Money') })),
    attendees: Type.Array(Type.String()),
    lines: Type.Array(
      Type.Object({
        line: Type.Integer(),
        amount: Type.Ref('Money', { description: 'VAT included' }),
        categoryId: nullable(Type.String()),
        taxCodeId: nullable(Type.String()),
        vat: Type.Ref('Money'),
        deductibleVat: Type.Ref('Money'),
        note: nullable(Type.String()),
      }),
    ),
    tagIds: Type.Array(Type.String()),
    refunds: Type.Array(
      Type.Object({
        transactionId: Type.String({ description: 'The refund\'s card transaction' }),
        amount: Type.Ref('Money', { description: 'What it refunded of the purchase' }),
        refundedOn: Type.String({ format: 'date', description: 'Its day in the company\'s time zone: the export period it belongs to' }),
        export: Type.Object({
          state: Type.String({ enum: ['netted', ...exportStates] }),
          batchId: nullable(Type.String()),
        }, { description: 'netted: it came before the expense was exported, and the amount has it; otherwise it came after, and goes to the books as a negative voucher of its own, in the period of refundedOn' }),
      }),
      { description: 'A card purchase\'s refunds (not reversed), oldest first: the amount is what it cleared less these; a fully refunded expense is 0.00, booked as nothing and left out of exports' },
    ),
    merchantCredits: Type.Array(
      Type.Object({
        transactionId: Type.String({ description: 'The refund\'s card transaction' }),
        amount: Type.Ref('Money'),
        reason: nullable(Type.String({ enum: [...merchantCreditReasons] })),
        occurredAt: Type.String({ format: 'date-time' }),
      }),
      { description: 'Flagged: refunds naming the purchase beyond what it had left to refund (or not in its currency). The wallet got the money, the expense does not count it; the bookkeeper decides what it is' },
    ),
    flags: Type.Array(Type.String({ enum: [...policyFlags] })),
    booked: Type.Boolean({ description: 'Whether the categorisation is booked in the ledger' }),
    reimbursement: Type.Object({ state: Type.String({ enum: reimbursementStates }), payoutBatchId: nullable(Type.String()) }),
    export: Type.Object({ state: Type.String({ enum: exportStates }), batchId: nullable(Type.String()) }),
    submittedAt: nullable(Type.String({ format: 'date-time' })),
    decidedAt: nullable(Type.String({ format: 'date-time' })),
    review: nullable(Type.Ref('ExpenseReview')),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Expense' },
);

export const ExpenseEventSchema = Type.Object(
  {
    id: Type.String(),
    actorType: Type.String({ enum: ['user', 'api_key', 'system'] }),
    actorId: nullable(Type.String()),
    action: Type.String({ description: 'filed, created_from_card, updated, corrected, submitted, approved_on_submit, step_approved, approved, rejected, changes_requested, reopened, commented, booked, unbooked, amount_changed, voided, exported, paid' }),
    comment: nullable(Type.String()),
    details: Type.Object({}, { additionalProperties: true }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ExpenseEvent' },
);

/** The stored rate (numeric(20, 10) reads back with all ten decimals) as written: "0.9482268158". */
function shortestRate(stored: string): string {
  const checked = checkRate(stored);
  return checked.ok ? formatRate(checked.units) : stored;
}


/** Where the review stands, with what the principal may do in it. */
function presentReview(state: ReviewState, principal: Principal) {
  return {
    round: state.round,
    step: { key: state.step.key, name: state.step.name, approver: state.step.approver, position: state.position, of: state.steps.length },
    waitingFor: state.waitingFor,
    returnedTo: state.returnedTo,
    approvals: state.approvals.map((approval) => ({ stepKey: approval.step_key, stepName: state.steps.find((step) => step.key === approval.step_key)?.name ?? approval.step_key, userId: approval.user_id, approvedAt: iso(approval.approved_at) })),
    youMayDecide: refusalOf(state, principal) === null,
  };
}

export function presentExpense(row: ExpenseRow, details: ExpenseDetails, review: ReturnType<typeof presentReview> | null = null) {
  const money = (minor: bigint) => toMoneyJson(minor, row.currency);
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    state: row.state,
    cardTransactionId: row.card_transaction_id,
    receipt: details.receipt(row.id),
    spentOn: row.spent_on,
    merchant: row.merchant,
    note: row.note,
    amount: money(row.amount),
    original:
      row.original_amount !== null && row.original_currency !== null && row.fx_rate !== null && row.fx_rate_date !== null
        ? { amount: toMoneyJson(row.original_amount, row.original_currency), rate: shortestRate(row.fx_rate), rateDate: row.fx_rate_date }
        : null,
    mileage: row.kind === 'mileage' && row.mileage_meters !== null ? { distanceKm: metersToKilometres(row.mileage_meters), ratePerKm: money(row.mileage_rate ?? 0n), route: row.route } : null,
    perDiem: row.kind === 'per_diem' && row.per_diem_country ? { country: row.per_diem_country, days: row.per_diem_days ?? 0, dailyRate: money(row.per_diem_rate ?? 0n) } : null,
    attendees: row.attendees,
    lines: details.lines(row.id).map((line) => ({
      line: line.line,
      amount: money(line.amount),
      categoryId: line.category_id,
      taxCodeId: line.tax_code_id,
      vat: money(line.vat_amount),
      deductibleVat: money(line.deductible_vat),
      note: line.note,
    })),
    tagIds: details.tags(row.id),
    refunds: details.refunds(row.id).map((refund) => ({
      transactionId: refund.transaction_id,
      amount: money(refund.amount),
      refundedOn: refund.refunded_on,
      export: { state: refund.export_state, batchId: refund.export_batch_id },
    })),
    merchantCredits: details.merchantCredits(row.id).map((credit) => ({
      transactionId: credit.transactionId,
      amount: toMoneyJson(credit.amount, credit.currency),
      reason: credit.reason,
      occurredAt: iso(credit.occurredAt),
    })),
    flags: row.flags,
    booked: row.booking_entry_id !== null,
    reimbursement: { state: row.reimbursement_state, payoutBatchId: row.payout_batch_id },
    export: { state: row.export_state, batchId: row.export_batch_id },
    submittedAt: row.submitted_at ? iso(row.submitted_at) : null,
    decidedAt: row.decided_at ? iso(row.decided_at) : null,
    review,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A presenter for these rows, as the principal sees them, with their lines, tags, receipts and reviews loaded for all at once. */
export async function expensePresenter(db: Db, principal: Principal, rows: readonly ExpenseRow[]) {
  const [details, reviews] = await Promise.all([detailsOf(db, principal.companyId, rows), reviewStatesOf(db, principal.companyId, rows)]);
  return (row: ExpenseRow) => {
    const review = reviews.get(row.id);
    return presentExpense(row, details, review ? presentReview(review, principal) : null);
  };
}

export function presentEvent(row: ExpenseEventRow) {
  return { id: row.id, actorType: row.actor_type, actorId: row.actor_id, action: row.action, comment: row.comment, details: row.details, createdAt: iso(row.created_at) };
}
