// The shapes of Outlay's HTTP API (base /api/v1) as the web app reads them.

/** An exact decimal string ("12.50", "-3.00") beside its ISO 4217 code. */
export interface Money {
  amount: string;
  currency: string;
}

export const roles = ['admin', 'bookkeeper', 'reviewer', 'employee'] as const;
export type Role = (typeof roles)[number];

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
