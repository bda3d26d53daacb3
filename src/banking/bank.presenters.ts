// How bank statements and their entries look in the API: their schemas and the presentation
// of their rows, shared by the statement and suspense routes.
import { Type, type TSchema } from 'typebox';
import { iso } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import type { EntryRow, StatementFileRow, StatementRow } from './bank-statements.service.js';
import { statementWarningCodes, type StatementWarning } from './statements/statement-warnings.js';

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const statementStates = ['booked', 'held', 'discarded'];
const statementFormats = ['mt940', 'camt.052', 'camt.053', 'camt.054'] as const;
const entryStates = ['top_up', 'suspense', 'assigned', 'returned', 'payout', 'duplicate', 'other', 'pending'];

export const BankEntrySchema = Type.Object(
  {
    id: Type.String(),
    statementId: Type.String(),
    line: Type.Integer(),
    amount: Type.Ref('Money', { description: 'Negative for debits' }),
    bookingDate: nullable(Type.String({ format: 'date' })),
    valueDate: nullable(Type.String({ format: 'date' })),
    bankReference: nullable(Type.String()),
    endToEndId: nullable(Type.String()),
    remittance: nullable(Type.String()),
    counterparty: Type.Object({ name: nullable(Type.String()), iban: nullable(Type.String()) }),
    state: Type.String({ enum: entryStates }),
    companyId: nullable(Type.String({ description: 'The company it was booked for (top-ups, assigned)' })),
    topUpId: nullable(Type.String()),
    payoutBatchId: nullable(Type.String()),
    note: nullable(Type.String()),
  },
  { $id: 'BankEntry' },
);

export const StatementSchema = Type.Object(
  {
    id: Type.String(),
    statementRef: nullable(Type.String()),
    account: nullable(Type.String()),
    opening: nullable(Type.Object({ amount: Type.Ref('Money'), date: nullable(Type.String({ format: 'date' })) })),
    closing: nullable(Type.Object({ amount: Type.Ref('Money'), date: nullable(Type.String({ format: 'date' })) })),
    entryCount: Type.Integer(),
    state: Type.String({ enum: statementStates, description: 'held: inconsistent or of another account, waiting for a person' }),
    inconsistency: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    entries: Type.Optional(Type.Array(Type.Ref('BankEntry'))),
    file: Type.Optional(
      Type.Object(
        {
          id: Type.String(),
          format: Type.String({ enum: [...statementFormats] }),
          fileName: nullable(Type.String()),
          receivedVia: Type.String({ enum: ['cli', 'api', 'inbox'] }),
          warnings: Type.Ref('StatementWarning'),
        },
        { description: 'The file the statement came in, with what the reader accepted in it although it was not as the format says' },
      ),
    ),
  },
  { $id: 'BankStatement' },
);

export const StatementWarningsSchema = Type.Array(
  Type.Object({
    code: Type.String({ enum: [...statementWarningCodes] }),
    line: nullable(Type.Integer({ description: 'MT940: the line of the file' })),
    path: nullable(Type.String({ description: 'CAMT: the element path' })),
    message: Type.String(),
  }),
  { $id: 'StatementWarning', description: 'What the reader accepted although it was not as the format says, each with where it is; kept with the file' },
);

export const ImportSummarySchema = Type.Object(
  {
    fileId: Type.String(),
    format: Type.String({ enum: [...statementFormats] }),
    duplicateFile: Type.Boolean({ description: 'The same file was imported before; nothing changed' }),
    statements: Type.Array(
      Type.Object({
        id: Type.String(),
        statementRef: nullable(Type.String()),
        state: Type.String({ enum: statementStates }),
        inconsistency: nullable(Type.String()),
        duplicate: Type.Boolean(),
        entries: Type.Object(Object.fromEntries(entryStates.map((state) => [state, Type.Optional(Type.Integer())])), { description: 'Entries by state; a state without entries is left out' }),
      }),
    ),
    warnings: Type.Ref('StatementWarning'),
  },
  { $id: 'StatementImport' },
);

export function presentEntry(row: EntryRow) {
  return {
    id: row.id,
    statementId: row.statement_id,
    line: row.line,
    amount: toMoneyJson(row.amount, row.currency),
    bookingDate: row.booking_date,
    valueDate: row.value_date,
    bankReference: row.bank_reference,
    endToEndId: row.end_to_end_id,
    remittance: row.remittance,
    counterparty: { name: row.counterparty_name, iban: row.counterparty_iban },
    state: row.state,
    companyId: row.target_company_id,
    topUpId: row.top_up_id,
    payoutBatchId: row.payout_batch_id,
    note: row.note,
  };
}

export function presentStatement(row: StatementRow, entries?: EntryRow[], file?: StatementFileRow) {
  const currency = row.currency ?? 'EUR';
  return {
    id: row.id,
    statementRef: row.statement_ref,
    account: row.account,
    opening: row.opening_amount === null ? null : { amount: toMoneyJson(row.opening_amount, currency), date: row.opening_date },
    closing: row.closing_amount === null ? null : { amount: toMoneyJson(row.closing_amount, currency), date: row.closing_date },
    entryCount: row.entry_count,
    state: row.state,
    inconsistency: row.inconsistency,
    createdAt: iso(row.created_at),
    ...(entries ? { entries: entries.map(presentEntry) } : {}),
    ...(file ? { file: { id: file.id, format: file.format, fileName: file.file_name, receivedVia: file.received_via, warnings: file.warnings as StatementWarning[] } } : {}),
  };
}

export const BankCompanySchema = Type.Object(
  { id: Type.String(), name: Type.String(), currency: Type.String(), reference: Type.String({ description: 'The company\'s payment reference (ISO 11649)' }) },
  { $id: 'BankCompany' },
);

export const TopUpInstructionsSchema = Type.Object(
  {
    accountName: Type.String(),
    iban: Type.String(),
    bic: nullable(Type.String()),
    currency: Type.String(),
    reference: Type.String({ description: 'An ISO 11649 creditor reference, electronic form' }),
    referenceFormatted: Type.String({ description: 'The same in groups of four, as people type it' }),
    warning: nullable(Type.String({ description: 'When the wallet is in another currency than the account takes' })),
  },
  { $id: 'TopUpInstructions' },
);

export const LowBalanceAlertSchema = Type.Object(
  { lowBalanceBelow: nullable(Type.Ref('Money')), alertedAt: nullable(Type.String({ format: 'date-time', description: 'When the admins were told; cleared once the funds are back above' })) },
  { $id: 'LowBalanceAlert' },
);
