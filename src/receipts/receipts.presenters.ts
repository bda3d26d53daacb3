// How receipts and the company's receipt rules look in the API: their schemas and the
// presentation of their rows.
import { Type, type TSchema } from 'typebox';
import { iso } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { linesOfText } from './extract/fields.js';
import { readLineItems } from './extract/line-items.js';
import { receiptMediaTypes } from './media-type.js';
import type { Mismatch } from './receipt-check.js';
import { basisPointsToPercent } from './receipt-settings.service.js';
import type { CardTransactionRow, ReceiptRow, ReceiptSettingsRow } from './receipts.service.js';

/** What a stored receipt is: an upload's type, or the text of an e-mail that had no file. */
export const storedMediaTypes = [...receiptMediaTypes, 'text/plain'];
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Confidence = Type.Number({ minimum: 0, maximum: 1 });

export const ReceiptSchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    source: Type.String({ enum: ['upload', 'email', 'api', 'demo'] }),
    mediaType: Type.String({ enum: storedMediaTypes }),
    fileName: nullable(Type.String()),
    byteSize: Type.Integer(),
    email: nullable(Type.Object({ from: nullable(Type.String()), subject: nullable(Type.String()) })),
    reading: Type.Object({
      state: Type.String({ enum: ['queued', 'reading', 'read', 'failed'] }),
      error: nullable(Type.String()),
      source: nullable(Type.String({ enum: ['image', 'pdf_text', 'pdf_scan', 'text'] })),
      engine: nullable(Type.String({ enum: ['tesseract', 'paddle', 'paddle+tesseract'], description: 'The OCR engine that read it (the ocr-engine flag); null where no OCR ran' })),
      readAt: nullable(Type.String({ format: 'date-time' })),
    }),
    fields: Type.Object(
      {
        merchant: nullable(Type.String()),
        date: nullable(Type.String({ format: 'date' })),
        total: nullable(Type.String({ description: 'As printed, a decimal string' })),
        currency: nullable(Type.String()),
        vat: nullable(Type.String()),
      },
      { description: 'What was read; null where the print was not clear enough to be sure' },
    ),
    confidence: Type.Object({ merchant: Confidence, date: Confidence, total: Confidence, currency: Confidence, vat: Confidence }),
    lineItems: Type.Optional(Type.Array(
      Type.Object({
        description: Type.String(),
        quantity: nullable(Type.String({ description: 'A plain decimal, e.g. "2"; null where none is printed' })),
        amount: Type.String({ description: 'The line\'s amount as printed, a decimal string; negative for a discount' }),
      }),
      { description: 'The items printed on the receipt, to suggest a split by (single receipt only); given only when their amounts add up to the total (or a subtotal) read, empty otherwise' },
    )),
    text: Type.Optional(nullable(Type.String({ description: 'The text read from the receipt (single receipt only)' }))),
    match: Type.Object({
      state: Type.String({ enum: ['unmatched', 'suggested', 'matched'] }),
      transactionId: nullable(Type.String()),
      expenseId: nullable(Type.String({ description: 'The out-of-pocket expense the receipt belongs to' })),
      by: nullable(Type.String({ enum: ['auto', 'user'] })),
      at: nullable(Type.String({ format: 'date-time' })),
      mismatches: Type.Array(Type.Ref('ReceiptMismatch'), { description: 'Where the reading disagrees with the purchase or expense it is attached to; empty when it agrees' }),
      note: nullable(Type.String({ description: 'Why the person attached it although it disagrees' })),
      suggestions: Type.Array(
        Type.Object({
          transactionId: Type.String(),
          score: Type.Number(),
          reasons: Type.Array(Type.String()),
          mismatches: Type.Array(Type.Ref('ReceiptMismatch'), { description: 'Where the reading disagrees with this purchase: attaching it then needs a note' }),
          transaction: nullable(Type.Object({ merchant: Type.String(), amount: Type.Ref('Money'), occurredAt: Type.String({ format: 'date-time' }) })),
        }),
      ),
    }),
    duplicate: nullable(Type.Object({ of: Type.String(), reason: Type.String({ enum: ['same_file', 'same_content'] }) })),
    fileUrl: Type.String(),
    thumbnailUrl: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Receipt' },
);

export const ReceiptSettingsSchema = Type.Object(
  {
    requiredAbove: Type.Ref('Money', { description: 'Purchases at or below this need no receipt' }),
    reminderAfterDays: Type.Integer(),
    freezeAfterDays: nullable(Type.Integer({ description: 'Cards are frozen while a receipt is overdue this long; null: never' })),
    amountTolerance: Type.Object(
      {
        percent: Type.String({ description: 'Share of the amount claimed, a decimal percentage with up to two decimals, e.g. "5"' }),
        fixed: Type.Ref('Money', { description: 'A fixed amount in the company\'s currency' }),
      },
      { description: 'A receipt\'s total agrees with the amount claimed when they are at most the larger of the two apart (tips, exchange rates)' },
    ),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ReceiptSettings' },
);

const confidenceOf = (stored: Record<string, unknown>) => {
  const read = (field: string) => (typeof stored[field] === 'number' ? (stored[field] as number) : 0);
  return { merchant: read('merchant'), date: read('date'), total: read('total'), currency: read('currency'), vat: read('vat') };
};

interface StoredSuggestion {
  transactionId: string;
  score: number;
  reasons: string[];
  /** Suggestions stored before receipts were checked have none. */
  mismatches?: Mismatch[];
}

export function presentReceipt(row: ReceiptRow, transactions: ReadonlyMap<string, CardTransactionRow>, options: { text?: boolean } = {}) {
  return {
    id: row.id,
    userId: row.user_id,
    source: row.source,
    mediaType: row.media_type,
    fileName: row.file_name,
    byteSize: row.byte_size,
    email: row.source === 'email' ? { from: row.email_from, subject: row.email_subject } : null,
    reading: { state: row.read_state, error: row.read_error, source: row.read_source, engine: row.read_engine, readAt: row.read_at ? iso(row.read_at) : null },
    fields: { merchant: row.merchant, date: row.purchase_date, total: row.total_amount, currency: row.currency, vat: row.vat_amount },
    confidence: confidenceOf(row.confidence),
    // With the text, for one receipt: read again from the stored text (so receipts read before
    // items were read have them too), which a list of receipts is not made to wait for.
    ...(options.text ? { text: row.ocr_text, lineItems: row.read_state === 'read' && row.ocr_text ? readLineItems(linesOfText(row.ocr_text).map((l) => l.text), row.total_amount) : [] } : {}),
    match: {
      state: row.match_state,
      transactionId: row.transaction_id,
      expenseId: row.expense_id,
      by: row.matched_by,
      at: row.matched_at ? iso(row.matched_at) : null,
      mismatches: row.mismatches as Mismatch[],
      note: row.mismatch_note,
      suggestions: (row.suggestions as StoredSuggestion[]).map((suggestion) => {
        const transaction = transactions.get(suggestion.transactionId);
        return {
          ...suggestion,
          mismatches: suggestion.mismatches ?? [],
          transaction: transaction
            ? { merchant: transaction.merchant_name, amount: toMoneyJson(transaction.settled_amount ?? transaction.wallet_amount, transaction.wallet_currency), occurredAt: iso(transaction.occurred_at) }
            : null,
        };
      }),
    },
    duplicate: row.duplicate_of && row.duplicate_reason ? { of: row.duplicate_of, reason: row.duplicate_reason } : null,
    fileUrl: `/api/v1/receipts/${row.id}/file`,
    thumbnailUrl: row.thumbnail_key ? `/api/v1/receipts/${row.id}/thumbnail` : null,
    createdAt: iso(row.created_at),
  };
}

export function presentSettings(row: ReceiptSettingsRow, currency: string) {
  return {
    requiredAbove: toMoneyJson(row.required_above, currency),
    reminderAfterDays: row.reminder_after_days,
    freezeAfterDays: row.freeze_after_days,
    amountTolerance: { percent: basisPointsToPercent(row.amount_tolerance_bp), fixed: toMoneyJson(row.amount_tolerance_fixed, currency) },
    updatedAt: iso(row.updated_at),
  };
}

export const MissingReceiptsOfPersonSchema = Type.Object(
  { userId: Type.String(), missing: Type.Integer(), oldestAt: Type.String({ format: 'date-time', description: 'When the oldest purchase still missing its receipt happened' }) },
  { $id: 'MissingReceiptsOfPerson' },
);

export const ForwardingAddressSchema = Type.Object(
  { address: Type.String(), enabled: Type.Boolean({ description: 'false when this installation receives no e-mail' }) },
  { $id: 'ForwardingAddress' },
);
