// Row types of the tables in migrations/, as Kysely sees them. Keep in step with the SQL.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Bigint = ColumnType<bigint, bigint, bigint>;

export type Role = 'admin' | 'bookkeeper' | 'reviewer' | 'employee' | 'operator';
export type UserStatus = 'invited' | 'active' | 'deactivated';
export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense';
export type PendingState = 'pending' | 'posted' | 'voided' | 'expired';

export interface CompaniesTable {
  id: string;
  name: string;
  currency: string;
  time_zone: Generated<string>;
  /** BCP 47; one of companyLocales (src/companies/company-locale.ts). */
  locale: Generated<string>;
  is_platform: Generated<boolean>;
  created_at: CreatedAt;
  /** Admins and bookkeepers must sign in with a second factor (src/mfa). */
  require_mfa_for_admins: Generated<boolean>;
}

export interface TeamsTable {
  company_id: string;
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  company_id: string;
  id: string;
  email: string;
  name: string;
  roles: Role[];
  team_id: string | null;
  status: UserStatus;
  password_hash: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface LoginsTable {
  email: string;
  company_id: string;
  user_id: string;
}

export interface InvitationsTable {
  company_id: string;
  id: string;
  user_id: string;
  secret_hash: string;
  invited_by: string;
  expires_at: Timestamp;
  accepted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface SessionsTable {
  company_id: string;
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  client_ip: string | null;
  user_agent: string | null;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TotpFactorsTable {
  company_id: string;
  user_id: string;
  secret_ciphertext: string;
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The 30-second time step of the last code accepted (RFC 6238's T). */
  last_used_step: bigint | null;
  created_at: CreatedAt;
}

export interface RecoveryCodesTable {
  company_id: string;
  user_id: string;
  code_hash: string;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface PasskeysTable {
  company_id: string;
  id: string;
  user_id: string;
  name: string;
  /** The authenticator's credential ID, base64url. */
  credential_id: string;
  /** The credential's COSE public key (RFC 9052), as registered. */
  public_key: Buffer;
  /** The authenticator's signature counter as last reported (WebAuthn section 6.1.1). */
  sign_count: ColumnType<bigint, bigint | undefined, bigint>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PasskeyChallengesTable {
  company_id: string;
  /** The challenge as base64url, as the client data carries it back. */
  challenge: string;
  user_id: string;
  purpose: 'registration' | 'sign_in' | 'confirmation';
  sign_in_hash: string | null;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface PasswordResetsTable {
  company_id: string;
  id: string;
  user_id: string;
  secret_hash: string;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  company_id: string;
  id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  created_by: string;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  suspended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AttemptLimitsTable {
  scope: string;
  subject_hash: string;
  failures: number;
  window_started_at: Timestamp;
  lockouts: ColumnType<number, number | undefined, number>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  company_id: string;
  principal: string;
  key: string;
  request_hash: string;
  state: 'running' | 'done';
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
  created_at: CreatedAt;
  claim_id: Generated<string>;
  claimed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface LedgerAccountsTable {
  company_id: string;
  id: string;
  code: string;
  name: string;
  type: AccountType;
  currency: string;
  no_overdraft: Generated<boolean>;
  debits_posted: Generated<bigint>;
  credits_posted: Generated<bigint>;
  debits_pending: Generated<bigint>;
  credits_pending: Generated<bigint>;
  created_at: CreatedAt;
}

export interface JournalEntriesTable {
  company_id: string;
  id: string;
  kind: string;
  description: string;
  cause_type: string | null;
  cause_id: string | null;
  effective_at: Timestamp;
  created_at: CreatedAt;
}

export interface PostingsTable {
  company_id: string;
  entry_id: string;
  line: number;
  account_id: string;
  amount: Bigint;
  currency: string;
}

export interface PendingTransfersTable {
  company_id: string;
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: Bigint;
  currency: string;
  state: PendingState;
  posted_amount: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  description: string;
  cause_type: string | null;
  cause_id: string | null;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  entry_id: string | null;
}

export interface WalletTopUpsTable {
  company_id: string;
  id: string;
  amount: Bigint;
  currency: string;
  bank_reference: string;
  received_on: string;
  recorded_by: string;
  entry_id: string;
  bank_entry_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface WalletCorrectionsTable {
  company_id: string;
  id: string;
  /** Signed: positive credits the wallet. */
  amount: Bigint;
  currency: string;
  reason: string;
  state: 'proposed' | 'approved';
  proposed_by: string;
  proposed_at: Timestamp;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  entry_id: string | null;
}

export interface AuditEventsTable {
  company_id: string;
  id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  /** The client's address and user agent of the request that made the change; null for
   * Outlay's own work. */
  ip: ColumnType<string | null, string | null | undefined, never>;
  user_agent: ColumnType<string | null, string | null | undefined, never>;
  created_at: CreatedAt;
}

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;
type JsonList = ColumnType<unknown[], string | undefined, string>;

export type CardKind = 'virtual' | 'physical' | 'single_use' | 'vendor';
export type StoredCardStatus = 'inactive' | 'active' | 'frozen' | 'cancelled' | 'expired';
export type CardTransactionKind = 'purchase' | 'atm_withdrawal' | 'refund' | 'force_post';
export type MerchantCreditReason = 'original_not_named' | 'original_not_found' | 'original_not_refundable' | 'currency_mismatch' | 'exceeds_refundable';
export type CardTransactionState = 'declined' | 'pending' | 'settled' | 'reversed' | 'expired' | 'refund_reversed';
export type CardChannel = 'online' | 'in_person' | 'contactless' | 'atm';

export interface CardRoutesTable {
  card_id: string;
  company_id: string;
  pan_digest: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CardSettingsTable {
  company_id: string;
  default_controls: Json;
  fx_markup_basis_points: Generated<number>;
  hold_expiry_hours: Generated<number>;
  long_hold_expiry_hours: Generated<number>;
  updated_at: UpdatedAt;
}

export interface CardsTable {
  company_id: string;
  id: string;
  user_id: string;
  kind: CardKind;
  status: StoredCardStatus;
  purpose: Generated<string>;
  last4: string;
  pan_ciphertext: string;
  cvv_ciphertext: string;
  expiry_month: number;
  expiry_year: number;
  controls: Json;
  shipping_status: 'ordered' | 'shipped' | 'delivered' | null;
  shipping_address: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  vendor_merchant_id: string | null;
  vendor_merchant_name: string | null;
  vendor_mcc: string | null;
  single_use_spent: Generated<boolean>;
  cancel_reason: 'lost' | 'stolen' | 'damaged' | 'no_longer_needed' | 'replaced' | null;
  replaces_card_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CardEventsTable {
  company_id: string;
  id: string;
  card_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  reason: string | null;
  details: Json;
  created_at: CreatedAt;
}

export interface CardTransactionsTable {
  company_id: string;
  id: string;
  network_id: string;
  card_id: string;
  user_id: string;
  kind: CardTransactionKind;
  state: CardTransactionState;
  decline_reason: string | null;
  decline_period: string | null;
  merchant_id: string | null;
  merchant_name: string;
  mcc: string;
  merchant_country: string;
  channel: CardChannel;
  merchant_amount: Bigint;
  merchant_currency: string;
  wallet_amount: Bigint;
  settled_amount: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  settled_merchant_amount: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  wallet_currency: string;
  /** numeric: arrives as a decimal string. */
  fx_rate: string | null;
  hold_id: string | null;
  shortfall: ColumnType<bigint, bigint | undefined, bigint>;
  occurred_at: Timestamp;
  settled_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  expense_synced: Generated<boolean>;
  /** A refund: the purchase it names (same company and card), see migration 0008. */
  refund_of: ColumnType<string | null, string | null | undefined, string | null>;
  /** A refund: the part that refunds `refund_of`, in the wallet's and the merchant's currency. */
  refunded_amount: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  refunded_merchant_amount: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  /** A refund with a standalone merchant credit (the rest of its amount): why it is one. */
  merchant_credit_reason: ColumnType<MerchantCreditReason | null, MerchantCreditReason | null | undefined, MerchantCreditReason | null>;
  /** The terms the network id was first taken with (network-message-terms.ts); null before migration 0013. */
  request_terms: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CardNetworkEventsTable {
  company_id: string;
  id: string;
  network_event_id: string;
  transaction_id: string;
  type: string;
  merchant_amount: bigint | null;
  wallet_amount: bigint | null;
  /** No default in SQL: every insert gives it. */
  outcome: ColumnType<Record<string, unknown>, string, string>;
  created_at: CreatedAt;
  /** The terms the message id was first taken with (network-message-terms.ts); null before migration 0013. */
  request_terms: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FxRatesTable {
  base: string;
  quote: string;
  rate: string;
  rate_date: string;
  source: string;
  loaded_at: CreatedAt;
}

export type ReceiptSource = 'upload' | 'email' | 'api' | 'demo';
export type ReceiptFileType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'text/plain';
export type ReceiptReadState = 'queued' | 'reading' | 'read' | 'failed';
export type ReceiptReadSource = 'image' | 'pdf_text' | 'pdf_scan' | 'text';
export type ReceiptMatchState = 'unmatched' | 'suggested' | 'matched';
export type NotificationKind =
  | 'receipt_wanted'
  | 'receipt_missing'
  | 'card_frozen_receipts'
  | 'card_unfrozen_receipts'
  | 'expense_to_review'
  | 'expense_approved'
  | 'expense_rejected'
  | 'expense_changes_requested'
  | 'expense_comment'
  | 'wallet_low_balance'
  | 'payout_executed'
  | 'subscription_late'
  | 'subscription_increased'
  | 'budget_threshold';

export interface ReceiptSettingsTable {
  company_id: string;
  required_above: ColumnType<bigint, bigint | undefined, bigint>;
  reminder_after_days: Generated<number>;
  freeze_after_days: ColumnType<number | null, number | null | undefined, number | null>;
  amount_tolerance_bp: Generated<number>;
  amount_tolerance_fixed: ColumnType<bigint, bigint | undefined, bigint>;
  updated_at: UpdatedAt;
}

export interface ReceiptsTable {
  company_id: string;
  id: string;
  user_id: string;
  source: ReceiptSource;
  media_type: ReceiptFileType;
  file_name: string | null;
  byte_size: number;
  original_sha256: string;
  blob_key: string;
  thumbnail_key: string | null;
  email_from: string | null;
  email_subject: string | null;
  email_message_id: string | null;
  read_state: ReceiptReadState;
  read_error: string | null;
  read_source: ReceiptReadSource | null;
  /** The OCR engine that read it (migrations/0027); null where no OCR ran. */
  read_engine: ColumnType<'tesseract' | 'paddle' | 'paddle+tesseract' | null, 'tesseract' | 'paddle' | 'paddle+tesseract' | null | undefined, 'tesseract' | 'paddle' | 'paddle+tesseract' | null>;
  merchant: string | null;
  purchase_date: string | null;
  total_amount: string | null;
  currency: string | null;
  vat_amount: string | null;
  confidence: Json;
  ocr_text: string | null;
  read_at: NullableTimestamp;
  match_state: ReceiptMatchState;
  transaction_id: string | null;
  expense_id: ColumnType<string | null, string | null | undefined, string | null>;
  matched_by: 'auto' | 'user' | null;
  matched_at: NullableTimestamp;
  auto_match: Generated<boolean>;
  suggestions: JsonList;
  duplicate_of: string | null;
  duplicate_reason: 'same_file' | 'same_content' | null;
  mismatches: JsonList;
  mismatch_note: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LostReceiptsTable {
  company_id: string;
  transaction_id: string;
  note: string;
  declared_by: string;
  created_at: CreatedAt;
}

export interface ReceiptAddressesTable {
  token: string;
  company_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  company_id: string;
  id: string;
  user_id: string;
  kind: NotificationKind;
  subject_type: string;
  subject_id: string;
  link_type: NotificationLinkType | null;
  link_id: string | null;
  title: string;
  body: string;
  created_at: CreatedAt;
  read_at: NullableTimestamp;
}

export type NotificationLinkType = 'expense' | 'card_transaction' | 'card' | 'payout_batch' | 'wallet' | 'budget';

export type ExpenseKind = 'card' | 'out_of_pocket' | 'mileage' | 'per_diem';
export type ExpenseState = 'draft' | 'in_review' | 'changes_requested' | 'approved' | 'rejected' | 'voided';
export type ReimbursementState = 'none' | 'owed' | 'in_batch' | 'paid';
export type ExportState = 'not_exported' | 'queued' | 'exporting' | 'exported' | 'failed';
export type ExportFormat = 'csv' | 'sie' | 'datev' | 'hledger';
type NullableBigint = ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;
type NullableInteger = ColumnType<number | null, number | null | undefined, number | null>;

export interface ExpenseSettingsTable {
  company_id: string;
  review_threshold: NullableBigint;
  mileage_rate: ColumnType<bigint, bigint | undefined, bigint>;
  wallet_account_code: Generated<string>;
  payable_account_code: Generated<string>;
  debtor_name: NullableText;
  debtor_iban: NullableText;
  debtor_bic: NullableText;
  organisation_number: NullableText;
  datev_consultant_number: NullableInteger;
  datev_client_number: NullableInteger;
  updated_at: UpdatedAt;
}

export interface ExpenseCategoriesTable {
  company_id: string;
  id: string;
  account_code: string;
  name: string;
  allowed_team_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface TaxCodesTable {
  company_id: string;
  id: string;
  code: string;
  name: string;
  rate_bp: number;
  deductible_bp: Generated<number>;
  vat_account_code: NullableText;
  datev_tax_key: NullableInteger;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface TagGroupsTable {
  company_id: string;
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface TagsTable {
  company_id: string;
  id: string;
  group_id: string;
  name: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface PerDiemRatesTable {
  company_id: string;
  country: string;
  daily_rate: Bigint;
  updated_at: UpdatedAt;
}

export interface TeamReviewersTable {
  company_id: string;
  team_id: string;
  user_id: string;
}

export interface ClosedPeriodsTable {
  company_id: string;
  period: string;
  closed_by: string;
  closed_at: CreatedAt;
}

export interface PayeeAccountsTable {
  company_id: string;
  user_id: string;
  holder_name: string;
  iban: string;
  bic: NullableText;
  updated_at: UpdatedAt;
}

export interface PayoutBatchesTable {
  company_id: string;
  id: string;
  state: 'created' | 'paid' | 'executed';
  currency: string;
  total: Bigint;
  item_count: number;
  message_id: string;
  execution_date: string;
  created_by: string;
  created_at: CreatedAt;
  paid_by: NullableText;
  paid_at: NullableTimestamp;
  entry_id: NullableText;
  executed_at: NullableTimestamp;
}

export interface PayoutItemsTable {
  company_id: string;
  batch_id: string;
  user_id: string;
  amount: Bigint;
  holder_name: string;
  iban: string;
  bic: string | null;
  end_to_end_id: string;
}

export interface ExportBatchesTable {
  company_id: string;
  id: string;
  format: ExportFormat;
  period_from: string;
  period_to: string;
  state: 'exporting' | 'exported' | 'failed';
  expense_count: number;
  blob_key: NullableText;
  byte_size: NullableInteger;
  sha256: NullableText;
  error: NullableText;
  created_by: string;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface ExpensesTable {
  company_id: string;
  id: string;
  user_id: string;
  kind: ExpenseKind;
  state: ExpenseState;
  card_transaction_id: string | null;
  receipt_id: NullableText;
  spent_on: string;
  merchant: NullableText;
  note: NullableText;
  amount: Bigint;
  currency: string;
  mileage_meters: NullableInteger;
  mileage_rate: NullableBigint;
  route: NullableText;
  per_diem_country: NullableText;
  per_diem_days: NullableInteger;
  per_diem_rate: NullableBigint;
  attendees: ColumnType<string[], string[] | undefined, string[]>;
  flags: ColumnType<string[], string[] | undefined, string[]>;
  booking_entry_id: NullableText;
  reimbursement_state: ReimbursementState;
  payout_batch_id: NullableText;
  export_state: ExportState;
  export_batch_id: NullableText;
  submitted_at: NullableTimestamp;
  decided_at: NullableTimestamp;
  original_amount: NullableBigint;
  original_currency: NullableText;
  fx_rate: NullableText;
  fx_rate_date: NullableText;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Where a card expense's refund stands with the books: netted into the expense's amount
 * (it came before the expense was exported), or a negative voucher of its own. */
export type ExpenseRefundExportState = 'netted' | ExportState;

export interface ExpenseRefundsTable {
  company_id: string;
  expense_id: string;
  transaction_id: string;
  amount: Bigint;
  refunded_on: string;
  export_state: ExpenseRefundExportState;
  export_batch_id: NullableText;
  created_at: CreatedAt;
}

export interface ExpenseLinesTable {
  company_id: string;
  expense_id: string;
  line: number;
  amount: Bigint;
  category_id: NullableText;
  tax_code_id: NullableText;
  vat_amount: ColumnType<bigint, bigint | undefined, bigint>;
  deductible_vat: ColumnType<bigint, bigint | undefined, bigint>;
  note: NullableText;
}

export interface ExpenseTagsTable {
  company_id: string;
  expense_id: string;
  tag_id: string;
}

export interface ExpenseEventsTable {
  company_id: string;
  id: string;
  expense_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  comment: NullableText;
  details: Json;
  created_at: CreatedAt;
}

export type ReviewApprover = 'team_reviewer' | 'any_reviewer' | 'budget_owner' | 'admin';

export interface ReviewRulesTable {
  company_id: string;
  policy_approves: Generated<boolean>;
  updated_at: UpdatedAt;
}

export interface ReviewStepsTable {
  company_id: string;
  id: string;
  position: number;
  name: string;
  amount_above: NullableBigint;
  team_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  approver: ReviewApprover;
}

export type BudgetScope = 'team' | 'person' | 'tag';
export type BudgetPeriod = 'month' | 'quarter' | 'year';

export interface BudgetsTable {
  company_id: string;
  id: string;
  name: string;
  scope: BudgetScope;
  team_id: NullableText;
  user_id: NullableText;
  tag_id: NullableText;
  period: BudgetPeriod;
  amount: Bigint;
  currency: string;
  enforced: ColumnType<boolean, boolean | undefined, boolean>;
  thresholds: ColumnType<number[], number[] | undefined, number[]>;
  owner_id: NullableText;
  archived_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TeamBudgetOwnersTable {
  company_id: string;
  team_id: string;
  user_id: string;
}

export interface ExpenseReviewRoundsTable {
  company_id: string;
  expense_id: string;
  round: number;
  steps: ColumnType<unknown[], string, string>;
  returned_to: NullableText;
  returned_step: NullableText;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface ExpenseApprovalsTable {
  company_id: string;
  expense_id: string;
  round: number;
  step_key: string;
  user_id: string;
  approved_at: Timestamp;
}

export interface PaymentReferencesTable {
  reference: string;
  company_id: string;
  created_at: CreatedAt;
}

export interface WalletAlertsTable {
  company_id: string;
  low_balance_below: NullableBigint;
  alerted_at: NullableTimestamp;
  updated_at: UpdatedAt;
}

export interface BankStatementFilesTable {
  company_id: string;
  id: string;
  sha256: string;
  format: 'mt940' | 'camt.052' | 'camt.053' | 'camt.054';
  file_name: string | null;
  received_via: 'cli' | 'api' | 'inbox';
  byte_size: number;
  blob_key: string;
  /** What the reader accepted although it was not as the format says (StatementWarning[]). */
  warnings: JsonList;
  created_at: CreatedAt;
  completed_at: NullableTimestamp;
}

export type BankStatementState = 'booked' | 'held' | 'discarded';
export type BankEntryState = 'top_up' | 'suspense' | 'assigned' | 'returned' | 'payout' | 'duplicate' | 'other' | 'pending';

export interface BankStatementsTable {
  company_id: string;
  id: string;
  file_id: string;
  fingerprint: string;
  statement_ref: string | null;
  account: string | null;
  currency: string | null;
  opening_amount: bigint | null;
  opening_date: string | null;
  closing_amount: bigint | null;
  closing_date: string | null;
  entry_count: number;
  state: BankStatementState;
  inconsistency: string | null;
  decided_by: NullableText;
  decided_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface BankEntriesTable {
  company_id: string;
  id: string;
  statement_id: string;
  line: number;
  amount: Bigint;
  currency: string;
  booking_date: string | null;
  value_date: string | null;
  bank_reference: string | null;
  end_to_end_id: string | null;
  remittance: string | null;
  counterparty_name: string | null;
  counterparty_iban: string | null;
  state: BankEntryState;
  transfer_key: string;
  target_company_id: NullableText;
  top_up_id: NullableText;
  payout_batch_id: NullableText;
  note: NullableText;
  decided_by: NullableText;
  decided_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  expand: Generated<boolean>;
  applied_at: CreatedAt;
}

/** Files of the database blob store (src/storage/database-blob-store.ts). */
export interface BlobsTable {
  key: string;
  bytes: Buffer;
  byte_size: Bigint;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ScheduledRunsTable {
  job: string;
  tick: Timestamp;
  process: string;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  outcome: ColumnType<'succeeded' | 'failed' | null, 'succeeded' | 'failed' | null | undefined, 'succeeded' | 'failed' | null>;
  duration_ms: number | null;
  error: string | null;
}

/** A background job a process has taken and renews while it runs (migrations/0026); src/jobs owns them. */
export interface JobLeasesTable {
  job_id: string;
  queue: string;
  process: string;
  taken_at: ColumnType<Date, Date | string | undefined, Date | string>;
  renewed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** What each card spent, per quarter hour, UTC day and UTC month and in all (migrations/0029):
 * kept by a trigger on card_transactions, read by src/cards' spentInPeriods; nothing else writes it. */
export interface CardSpendBucketsTable {
  company_id: string;
  card_id: string;
  width: 'quarter' | 'day' | 'month' | 'all';
  bucket_start: Date;
  amount: bigint;
}

/** Platform-wide feature flags (migrations/0012); src/flags owns them. */
export interface FeatureFlagsTable {
  key: string;
  description: Generated<string>;
  kind: 'boolean' | 'variant';
  variants: string[];
  default_variant: string;
  enabled: Generated<boolean>;
  rules: ColumnType<unknown[], string | undefined, string>;
  revision: ColumnType<bigint, bigint | undefined, bigint>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string | null;
}

export type OutgoingMailStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutgoingMailTable {
  company_id: string;
  id: string;
  kind: string;
  user_id: string | null;
  to_address: string;
  locale: string;
  subject: string;
  text_body: string;
  html_body: string;
  link_path: string | null;
  status: Generated<OutgoingMailStatus>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type WebhookEndpointStatus = 'enabled' | 'disabled';
export type WebhookDeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed';

export interface WebhookEndpointsTable {
  company_id: string;
  id: string;
  url: string;
  description: Generated<string>;
  event_types: string[];
  status: Generated<WebhookEndpointStatus>;
  disabled_reason: 'failing' | 'by_hand' | null;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_until: NullableTimestamp;
  failing_since: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WebhookDeliveriesTable {
  company_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  delivered_at: NullableTimestamp;
}

export interface WebhookAttemptsTable {
  company_id: string;
  id: string;
  delivery_id: string;
  attempted_at: ColumnType<Date, Date | string, never>;
  status_code: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number;
}

export interface SsoConnectionsTable {
  company_id: string;
  issuer: string;
  client_id: string;
  client_secret_ciphertext: string | null;
  protocol: Generated<'oidc' | 'saml'>;
  saml_sso_url: string | null;
  saml_certificates: string[] | null;
  saml_email_attribute: string | null;
  saml_name_attribute: string | null;
  provision_people: Generated<boolean>;
  default_roles: Generated<Role[]>;
  role_claim: string | null;
  role_map: ColumnType<Record<string, string>, string | undefined, string | undefined>;
  enabled: Generated<boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SsoSamlAssertionsTable {
  company_id: string;
  assertion_id: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface SsoDomainsTable {
  company_id: string;
  domain: string;
  verification_token: string;
  verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface Tables {
  companies: CompaniesTable;
  teams: TeamsTable;
  users: UsersTable;
  logins: LoginsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  api_keys: ApiKeysTable;
  attempt_limits: AttemptLimitsTable;
  idempotency_keys: IdempotencyKeysTable;
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  pending_transfers: PendingTransfersTable;
  wallet_top_ups: WalletTopUpsTable;
  wallet_corrections: WalletCorrectionsTable;
  audit_events: AuditEventsTable;
  schema_migrations: SchemaMigrationsTable;
  card_routes: CardRoutesTable;
  card_settings: CardSettingsTable;
  cards: CardsTable;
  card_events: CardEventsTable;
  card_transactions: CardTransactionsTable;
  card_network_events: CardNetworkEventsTable;
  fx_rates: FxRatesTable;
  receipt_settings: ReceiptSettingsTable;
  receipts: ReceiptsTable;
  lost_receipts: LostReceiptsTable;
  receipt_addresses: ReceiptAddressesTable;
  notifications: NotificationsTable;
  outgoing_mail: OutgoingMailTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  sso_connections: SsoConnectionsTable;
  sso_domains: SsoDomainsTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  sso_saml_assertions: SsoSamlAssertionsTable;
  expense_settings: ExpenseSettingsTable;
  expense_categories: ExpenseCategoriesTable;
  tax_codes: TaxCodesTable;
  tag_groups: TagGroupsTable;
  tags: TagsTable;
  per_diem_rates: PerDiemRatesTable;
  team_reviewers: TeamReviewersTable;
  closed_periods: ClosedPeriodsTable;
  payee_accounts: PayeeAccountsTable;
  payout_batches: PayoutBatchesTable;
  payout_items: PayoutItemsTable;
  export_batches: ExportBatchesTable;
  expenses: ExpensesTable;
  expense_lines: ExpenseLinesTable;
  expense_refunds: ExpenseRefundsTable;
  expense_tags: ExpenseTagsTable;
  expense_events: ExpenseEventsTable;
  review_rules: ReviewRulesTable;
  review_steps: ReviewStepsTable;
  team_budget_owners: TeamBudgetOwnersTable;
  budgets: BudgetsTable;
  expense_review_rounds: ExpenseReviewRoundsTable;
  expense_approvals: ExpenseApprovalsTable;
  payment_references: PaymentReferencesTable;
  wallet_alerts: WalletAlertsTable;
  bank_statement_files: BankStatementFilesTable;
  bank_statements: BankStatementsTable;
  bank_entries: BankEntriesTable;
  blobs: BlobsTable;
  scheduled_runs: ScheduledRunsTable;
  job_leases: JobLeasesTable;
  card_spend_buckets: CardSpendBucketsTable;
  feature_flags: FeatureFlagsTable;
}
