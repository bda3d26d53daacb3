// Reading the audit trail: a page of events, newest first, each with its actor's name and a
// subject a person reads. The audit module is imported by the modules whose changes it
// records, so what it needs from them (names, the company's calendar) comes in as AuditReaders
// from the composition root.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import * as repo from './audit.repository.js';

export type { AuditEventRow } from './audit.repository.js';

type NamesOf = (db: Db, companyId: string, ids: readonly string[]) => Promise<Map<string, string>>;

export interface AuditReaders {
  people: NamesOf;
  apiKeys: NamesOf;
  teams: NamesOf;
  /** The instants [start, end) of the company's calendar dates from and to, both included. */
  dateRange(db: Db, companyId: string, from: string | undefined, to: string | undefined): Promise<{ start?: Date; end?: Date }>;
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: string;
  to?: string;
  before?: string;
  limit: number;
}

export interface AuditEntry {
  row: repo.AuditEventRow;
  actorName: string;
  subjectLabel: string;
}

// What kind of thing each subject type is, in words.
const subjectWords: Record<string, string> = {
  company: 'Company',
  user: 'Person',
  team: 'Team',
  api_key: 'API key',
  card: 'Card',
  expense: 'Expense',
  wallet_top_up: 'Wallet top-up',
  bank_statement_file: 'Bank statement file',
  bank_entry: 'Bank entry',
  payout_batch: 'Payout batch',
  export_batch: 'Export',
};

export function subjectTypeWords(type: string): string {
  return subjectWords[type] ?? type.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
}

export async function listAuditTrail(db: Db, principal: Principal, readers: AuditReaders, query: AuditQuery): Promise<AuditEntry[]> {
  if (query.from && query.to && query.from > query.to) throw new DomainError('validation_failed', 'from is after to', 'from');
  const range = await readers.dateRange(db, principal.companyId, query.from, query.to);
  const rows = await repo.listAuditEvents(db, { ...query, companyId: principal.companyId, from: range.start, until: range.end });
  const idsOf = (pick: (row: repo.AuditEventRow) => string | null) => rows.flatMap((row) => pick(row) ?? []);
  const userIds = [...idsOf((row) => (row.actor_type === 'user' ? row.actor_id : null)), ...idsOf((row) => (row.subject_type === 'user' ? row.subject_id : null))];
  const keyIds = [...idsOf((row) => (row.actor_type === 'api_key' ? row.actor_id : null)), ...idsOf((row) => (row.subject_type === 'api_key' ? row.subject_id : null))];
  const [people, keys, teams] = await Promise.all([
    readers.people(db, principal.companyId, userIds),
    readers.apiKeys(db, principal.companyId, keyIds),
    readers.teams(db, principal.companyId, idsOf((row) => (row.subject_type === 'team' ? row.subject_id : null))),
  ]);
  const actorName = (row: repo.AuditEventRow) => {
    if (row.actor_type === 'system') return 'Outlay';
    const name = row.actor_id ? (row.actor_type === 'user' ? people : keys).get(row.actor_id) : undefined;
    return row.actor_type === 'api_key' ? `API key ${name ?? row.actor_id ?? ''}`.trim() : (name ?? row.actor_id ?? 'unknown');
  };
  const subjectLabel = (row: repo.AuditEventRow) => {
    const named = { user: people, api_key: keys, team: teams }[row.subject_type as 'user' | 'api_key' | 'team']?.get(row.subject_id);
    if (row.subject_type === 'company') return 'The company';
    return `${subjectTypeWords(row.subject_type)} ${named ?? row.subject_id}`;
  };
  return rows.map((row) => ({ row, actorName: actorName(row), subjectLabel: subjectLabel(row) }));
}
