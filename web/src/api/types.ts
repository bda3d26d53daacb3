// The shapes of Outlay's HTTP API (base /api/v1) as the web app reads them.

/** An exact decimal string ("12.50", "-3.00") beside its ISO 4217 code. */
export interface Money {
  amount: string;
  currency: string;
}

/** The roles a company gives its people. */
export const roles = ['admin', 'bookkeeper', 'reviewer', 'employee'] as const;
export type CompanyRole = (typeof roles)[number];
/** Operators are people of the platform itself, who keep its bank account; no company gives the role. */
export type Role = CompanyRole | 'operator';

export type PersonStatus = 'invited' | 'active' | 'deactivated';

export interface Person {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  teamId: string | null;
  status: PersonStatus;
  createdAt: string;
}

export interface Company {
  id: string;
  name: string;
  currency: string;
  timeZone: string;
  createdAt: string;
}

export interface Session {
  person: Person;
  company: Company;
  csrfToken: string;
  features: { simulator: boolean };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Wallet {
  balance: Money;
  available: Money;
  reserved: Money;
}

export interface Team {
  id: string;
  name: string;
}

export interface Invitation {
  id: string;
  url: string;
  expiresAt: string;
}

export interface InvitationCreated {
  person: Person;
  invitation: Invitation;
}

export interface InvitationPreview {
  email: string;
  name: string;
  companyName: string;
  expiresAt: string;
}

export const apiKeyScopes = [
  'company:read',
  'people:read',
  'people:write',
  'wallet:read',
  'wallet:write',
  'ledger:read',
] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeyCreated {
  apiKey: ApiKey;
  /** Null when the response is a replay of an earlier request with the same Idempotency-Key:
   * the secret is never stored, so only the first response holds it. */
  secret: string | null;
}

export interface LedgerAccount {
  id: string;
  code: string;
  name: string;
  type: string;
  currency: string;
  balance: Money;
  available: Money;
}

export interface Posting {
  line: number;
  accountId: string;
  accountCode: string;
  /** A negative amount is a credit, a positive one a debit. */
  amount: Money;
}

export interface JournalEntry {
  id: string;
  kind: string;
  description: string;
  effectiveAt: string;
  createdAt: string;
  postings: Posting[];
}

export const cardKinds = ['virtual', 'single_use', 'vendor', 'physical'] as const;
export type CardKind = (typeof cardKinds)[number];
export type CardStatus = 'inactive' | 'active' | 'frozen' | 'cancelled' | 'expired';
export const cancelReasons = ['lost', 'stolen', 'damaged', 'no_longer_needed'] as const;
export type CancelReason = (typeof cancelReasons)[number];
export const limitPeriods = ['daily', 'weekly', 'monthly', 'yearly', 'lifetime'] as const;
export type LimitPeriod = (typeof limitPeriods)[number];
export const replaceReasons = ['lost', 'stolen', 'damaged', 'expiring'] as const;
export type ReplaceReason = (typeof replaceReasons)[number];
export const channels = ['online', 'in_person', 'contactless', 'atm'] as const;
export type Channel = (typeof channels)[number];
/** The groups of src/cards/merchant-categories.ts, in its order. */
export const merchantCategoryGroups = [
  'restaurants',
  'groceries',
  'airlines',
  'car_rental',
  'hotels',
  'travel',
  'transport',
  'fuel',
  'atm',
  'cash',
  'software',
  'office',
  'telecom',
  'advertising',
  'entertainment',
  'gambling',
  'professional_services',
] as const;
export type MerchantCategoryGroup = (typeof merchantCategoryGroups)[number];

/** A card's spending controls. Amounts are decimal strings in the wallet's currency; a list
 * that is null restricts nothing. */
export interface CardControls {
  perPurchaseMax: string | null;
  limits: Partial<Record<LimitPeriod, string>>;
  categories: { allow: MerchantCategoryGroup[] | null; block: MerchantCategoryGroup[] };
  countries: { allow: string[] | null; block: string[] };
  channels: Channel[] | null;
  /** ISO weekdays, 1 = Monday. */
  weekdays: number[] | null;
  /** Local hours [from, to). */
  hours: { from: number; to: number } | null;
  validFrom: string | null;
  validUntil: string | null;
}

/** What PATCH /cards/:id/controls and the issue form send: fields left out keep their value;
 * a period limit set to null is removed. */
export interface CardControlsInput {
  perPurchaseMax?: string | null;
  limits?: Partial<Record<LimitPeriod, string | null>>;
  categories?: CardControls['categories'];
  countries?: CardControls['countries'];
  channels?: Channel[] | null;
  weekdays?: number[] | null;
  hours?: { from: number; to: number } | null;
  validFrom?: string | null;
  validUntil?: string | null;
}

export interface Card {
  id: string;
  userId: string;
  kind: CardKind;
  status: CardStatus;
  purpose: string;
  last4: string;
  expiryMonth: number;
  expiryYear: number;
  shippingStatus: 'ordered' | 'shipped' | 'delivered' | null;
  vendor: { merchantId: string | null; merchantName: string | null; mcc: string | null } | null;
  controls: CardControls;
  singleUseSpent: boolean;
  cancelReason: CancelReason | 'replaced' | null;
  createdAt: string;
}

/** Shown once, after the cardholder typed their password again; never kept. */
export interface RevealedCard {
  number: string;
  cvv: string;
  expiryMonth: number;
  expiryYear: number;
}

export interface PeriodUsage {
  limit: Money | null;
  spent: Money;
  remaining: Money | null;
}

export interface CardLimits {
  perPurchaseMax: Money | null;
  periods: Record<LimitPeriod, PeriodUsage>;
}

export type CardTransactionState = 'declined' | 'pending' | 'settled' | 'reversed' | 'expired' | 'refund_reversed';

export interface CardTransaction {
  id: string;
  cardId: string;
  userId: string;
  kind: 'purchase' | 'atm_withdrawal' | 'refund' | 'force_post';
  state: CardTransactionState;
  declineReason: string | null;
  declinePeriod: LimitPeriod | null;
  merchant: { id: string | null; name: string; mcc: string; country: string };
  channel: string;
  /** In the merchant's currency. */
  merchantAmount: Money;
  /** In the wallet's currency: held while pending, booked once settled. */
  walletAmount: Money;
  fxRate: string | null;
  /** How far a forced booking took the wallet below zero. */
  shortfall: Money | null;
  occurredAt: string;
  settledAt: string | null;
  receipt: TransactionReceipt;
}

/** missing: the purchase still needs its receipt; not_required: declined, reversed, refunds,
 * ATM withdrawals, or at or under the company's receipt threshold. */
export type TransactionReceiptState = 'attached' | 'lost' | 'missing' | 'not_required';

export interface TransactionReceipt {
  state: TransactionReceiptState;
  receiptId: string | null;
  lostNote: string | null;
}

/** The card network's answer, as the simulator returns it for a purchase or a later event. */
export interface CardDecision {
  approved: boolean;
  declineReason: string | null;
  declinePeriod: LimitPeriod | null;
  transactionId: string | null;
  state: CardTransactionState | null;
  heldAmount: Money | null;
  settledAmount: Money | null;
}

export type ReceiptReadingState = 'queued' | 'reading' | 'read' | 'failed';
export type ReceiptMatchState = 'unmatched' | 'suggested' | 'matched';

export interface ReceiptSuggestion {
  transactionId: string;
  score: number;
  reasons: string[];
  /** Null when the transaction is no longer there to show. */
  transaction: { merchant: string; amount: Money; occurredAt: string } | null;
}

export interface Receipt {
  id: string;
  userId: string;
  source: 'upload' | 'email' | 'api' | 'demo';
  mediaType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'text/plain';
  fileName: string | null;
  byteSize: number;
  email: { from: string | null; subject: string | null } | null;
  reading: { state: ReceiptReadingState; error: string | null; source: 'image' | 'pdf_text' | 'pdf_scan' | 'text' | null; readAt: string | null };
  /** What was read; null where the print was not clear enough to be sure. The total is a
   * decimal string as printed, the date YYYY-MM-DD. */
  fields: { merchant: string | null; date: string | null; total: string | null; currency: string | null; vat: string | null };
  match: {
    state: ReceiptMatchState;
    transactionId: string | null;
    /** The out-of-pocket expense the receipt belongs to. */
    expenseId: string | null;
    by: 'auto' | 'user' | null;
    at: string | null;
    suggestions: ReceiptSuggestion[];
  };
  duplicate: { of: string; reason: 'same_file' | 'same_content' } | null;
  fileUrl: string;
  /** Null for PDFs and e-mailed text. */
  thumbnailUrl: string | null;
  createdAt: string;
}

export interface ReceiptSettings {
  /** Purchases at or below this need no receipt. */
  requiredAbove: Money;
  reminderAfterDays: number;
  /** Cards are frozen while a receipt is overdue this long; null: never. */
  freezeAfterDays: number | null;
  updatedAt: string;
}

export interface MissingReceiptsOfPerson {
  userId: string;
  missing: number;
  oldestAt: string;
}

export interface ForwardingAddress {
  address: string;
  /** False when this installation receives no e-mail. */
  enabled: boolean;
}

export interface LostReceipt {
  transactionId: string;
  note: string;
  declaredBy: string;
  createdAt: string;
}

export interface Notification {
  id: string;
  kind:
    | 'receipt_missing'
    | 'card_frozen_receipts'
    | 'card_unfrozen_receipts'
    | 'expense_to_review'
    | 'expense_approved'
    | 'expense_rejected'
    | 'expense_changes_requested'
    | 'expense_comment'
    | 'wallet_low_balance'
    | 'payout_executed';
  subject: { type: string; id: string };
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationsPage extends Page<Notification> {
  unread: number;
}

export const expenseKinds = ['card', 'out_of_pocket', 'mileage', 'per_diem'] as const;
export type ExpenseKind = (typeof expenseKinds)[number];
export const expenseStates = ['draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'voided'] as const;
export type ExpenseState = (typeof expenseStates)[number];
export type ExpenseFlag = 'missing_receipt' | 'category_not_allowed' | 'over_threshold' | 'possible_duplicate';

export interface ExpenseLine {
  line: number;
  /** VAT included. */
  amount: Money;
  categoryId: string | null;
  taxCodeId: string | null;
  /** Worked out by the server from the line's amount and tax code. */
  vat: Money;
  deductibleVat: Money;
  note: string | null;
}

export interface Expense {
  id: string;
  userId: string;
  kind: ExpenseKind;
  state: ExpenseState;
  cardTransactionId: string | null;
  receipt: { state: TransactionReceiptState; receiptId: string | null };
  /** YYYY-MM-DD */
  spentOn: string;
  merchant: string | null;
  note: string | null;
  amount: Money;
  mileage: { distanceKm: string; ratePerKm: Money; route: string | null } | null;
  perDiem: { country: string; days: number; dailyRate: Money } | null;
  attendees: string[];
  lines: ExpenseLine[];
  tagIds: string[];
  flags: ExpenseFlag[];
  booked: boolean;
  reimbursement: { state: 'none' | 'owed' | 'in_batch' | 'paid'; payoutBatchId: string | null };
  export: { state: 'not_exported' | 'queued' | 'exporting' | 'exported' | 'failed'; batchId: string | null };
  submittedAt: string | null;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ExpenseEvent {
  id: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  action: string;
  comment: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export interface ExpenseCategory {
  id: string;
  accountCode: string;
  name: string;
  /** Null: every team may use it. */
  allowedTeamIds: string[] | null;
  active: boolean;
}

export interface TaxCode {
  id: string;
  code: string;
  name: string;
  /** Percent, e.g. "25". */
  rate: string;
  /** Percent of the VAT that may be deducted. */
  deductible: string;
  vatAccountCode: string | null;
  datevTaxKey: number | null;
  active: boolean;
}

export interface Tag {
  id: string;
  name: string;
  active: boolean;
}

export interface TagGroup {
  id: string;
  name: string;
  tags: Tag[];
}

export interface BankAccount {
  name: string;
  iban: string;
  bic: string | null;
}

export interface ExpenseSettings {
  reviewThreshold: Money | null;
  mileageRate: Money;
  walletAccountCode: string;
  payableAccountCode: string;
  /** The company's account reimbursements are paid from. */
  debtor: BankAccount | null;
  organisationNumber: string | null;
  datevConsultantNumber: number | null;
  datevClientNumber: number | null;
  updatedAt: string;
}

export interface PerDiemRate {
  country: string;
  dailyRate: Money;
}

export interface TeamReviewer {
  teamId: string;
  userId: string;
}

export interface ClosedPeriod {
  /** YYYY-MM */
  period: string;
  closedBy: string;
  closedAt: string;
}

export interface PayeeAccount {
  holderName: string;
  iban: string;
  bic: string | null;
  updatedAt: string;
}

export interface Owed {
  userId: string;
  amount: Money;
  expenseCount: number;
  hasPayeeAccount: boolean;
}

export interface PayoutBatch {
  id: string;
  /** executed: the bank statement shows the payments left the account. */
  state: 'created' | 'paid' | 'executed';
  total: Money;
  itemCount: number;
  messageId: string;
  executionDate: string;
  createdAt: string;
  paidAt: string | null;
  executedAt: string | null;
  entryId: string | null;
  items?: { userId: string; amount: Money; holderName: string; iban: string; endToEndId: string }[];
}

export interface PayoutBatchCreated {
  batch: PayoutBatch;
  /** People owed money who have no bank account on file. */
  skipped: { userId: string; amount: Money }[];
}

export const exportFormats = ['csv', 'sie', 'datev', 'hledger'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportBatch {
  id: string;
  format: ExportFormat;
  from: string;
  to: string;
  state: 'exporting' | 'exported' | 'failed';
  expenseCount: number;
  fileName: string;
  byteSize: number | null;
  sha256: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Set once exported. */
  fileUrl: string | null;
}

// --- Bank rails ------------------------------------------------------------------------------

export interface TopUp {
  id: string;
  amount: Money;
  bankReference: string;
  receivedOn: string;
  entryId: string;
  createdAt: string;
}

/** Where a company sends money to fund its wallet, and the reference that finds it. */
export interface TopUpInstructions {
  accountName: string;
  iban: string;
  bic: string | null;
  currency: string;
  /** An ISO 11649 creditor reference in its electronic form ("RF18539007547034"). */
  reference: string;
  /** The same in groups of four, as people read and type it. */
  referenceFormatted: string;
  /** When the company's wallet is in another currency than the account takes. */
  warning: string | null;
}

export interface LowBalanceAlert {
  lowBalanceBelow: Money | null;
  /** When the admins were told; cleared once the funds were back above the threshold. */
  alertedAt: string | null;
}

export const bankEntryStates = ['top_up', 'suspense', 'assigned', 'returned', 'payout', 'duplicate', 'other', 'pending'] as const;
export type BankEntryState = (typeof bankEntryStates)[number];

export interface BankEntry {
  id: string;
  statementId: string;
  line: number;
  /** Negative for debits. */
  amount: Money;
  bookingDate: string | null;
  valueDate: string | null;
  bankReference: string | null;
  endToEndId: string | null;
  remittance: string | null;
  counterparty: { name: string | null; iban: string | null };
  state: BankEntryState;
  /** The company it was booked for (top-ups, assigned). */
  companyId: string | null;
  topUpId: string | null;
  payoutBatchId: string | null;
  note: string | null;
}

export const statementStates = ['booked', 'held', 'discarded'] as const;
export type StatementState = (typeof statementStates)[number];

export interface BankStatement {
  id: string;
  statementRef: string | null;
  account: string | null;
  opening: { amount: Money; date: string | null } | null;
  closing: { amount: Money; date: string | null } | null;
  entryCount: number;
  /** held: inconsistent or of another account, waiting for a person. */
  state: StatementState;
  inconsistency: string | null;
  createdAt: string;
  /** Only on one statement's own response. */
  entries?: BankEntry[];
}

export interface StatementImport {
  fileId: string;
  format: 'mt940' | 'camt.053';
  /** The same file was imported before; nothing changed. */
  duplicateFile: boolean;
  statements: {
    id: string;
    statementRef: string | null;
    state: StatementState;
    inconsistency: string | null;
    /** The same statement came in another file before. */
    duplicate: boolean;
    entries: Partial<Record<BankEntryState, number>>;
  }[];
}

/** A company an operator can give a transfer in suspense to. */
export interface BankCompany {
  id: string;
  name: string;
  currency: string;
  reference: string;
}
