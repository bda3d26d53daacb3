// Row types of the tables in migrations/, as Kysely sees them. Keep in step with the SQL.
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Bigint = ColumnType<bigint, bigint, bigint>;

export type Role = 'admin' | 'bookkeeper' | 'reviewer' | 'employee';
export type UserStatus = 'invited' | 'active' | 'deactivated';
export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense';
export type PendingState = 'pending' | 'posted' | 'voided' | 'expired';

export interface CompaniesTable {
  id: string;
  name: string;
  currency: string;
  time_zone: Generated<string>;
  created_at: CreatedAt;
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
  created_at: CreatedAt;
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
  created_at: CreatedAt;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export interface Tables {
  companies: CompaniesTable;
  teams: TeamsTable;
  users: UsersTable;
  logins: LoginsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  pending_transfers: PendingTransfersTable;
  wallet_top_ups: WalletTopUpsTable;
  audit_events: AuditEventsTable;
  schema_migrations: SchemaMigrationsTable;
}
