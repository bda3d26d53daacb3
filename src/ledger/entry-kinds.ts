// What a journal entry's kind means, in a bookkeeper's words: the API gives the label beside
// the stable kind, so a reader never has to decode "expense_owed".
const labels: Record<string, string> = {
  wallet_top_up: 'Wallet top-up',
  wallet_correction: 'Wallet corrected by the platform',
  card_hold: 'Card purchase held',
  pending_posted: 'Card purchase cleared',
  card_refund: 'Card refund',
  card_refund_reversal: 'Card refund reversed',
  force_post: 'Card purchase booked without a hold',
  expense_categorised: 'Card expense categorised',
  expense_owed: 'Owed to employees',
  expense_correction: 'Expense corrected',
  reimbursement_paid: 'Reimbursement paid',
  payout_executed: 'Payout sent',
  top_up: 'Top-up received',
  suspense: 'Parked in suspense',
};

/** The label of a kind; a kind without one reads as its words ("some_kind" -> "Some kind"). */
export function entryKindLabel(kind: string): string {
  return labels[kind] ?? kind.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
}
