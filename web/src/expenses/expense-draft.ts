// What the expense editor holds while the person types, and the PATCH that saves it: only
// what changed is sent, so the history says what was changed and an untouched expense is
// not "updated". Amounts stay strings; comparing two is done in minor units (money.ts).
import type { Expense, ExpenseLine, Money } from '../api/types';
import { toMinor } from '../money';
import type { Books } from './use-books';

export interface LineDraft {
  /** Keeps React's rows apart while lines are added and removed. */
  key: number;
  amount: string;
  categoryId: string;
  taxCodeId: string;
  note: string;
}

export interface ExpenseDraft {
  merchant: string;
  spentOn: string;
  /** Out of pocket: what was paid, in `currency` (another than the company's is converted). */
  amount: string;
  currency: string;
  distanceKm: string;
  route: string;
  days: string;
  /** Several lines; otherwise lines[0] holds the category and tax code of the whole amount. */
  split: boolean;
  lines: LineDraft[];
  /** The chosen tag of each tag group, by group id ('' for none). */
  tags: Record<string, string>;
  note: string;
  /** One name a line. */
  attendees: string;
}

let nextKey = 1;
export const newLineKey = () => nextKey++;

const lineDraftOf = (line: ExpenseLine): LineDraft => ({
  key: newLineKey(),
  amount: line.amount.amount,
  categoryId: line.categoryId ?? '',
  taxCodeId: line.taxCodeId ?? '',
  note: line.note ?? '',
});

export function draftOf(expense: Expense, books: Books): ExpenseDraft {
  const tags: Record<string, string> = {};
  for (const group of books.tagGroups) {
    tags[group.id] = group.tags.find((tag) => expense.tagIds.includes(tag.id))?.id ?? '';
  }
  const lines = expense.lines.length > 0 ? expense.lines.map(lineDraftOf) : [{ key: newLineKey(), amount: expense.amount.amount, categoryId: '', taxCodeId: '', note: '' }];
  const paid = paidOf(expense);
  return {
    merchant: expense.merchant ?? '',
    spentOn: expense.spentOn,
    amount: paid.amount,
    currency: paid.currency,
    distanceKm: expense.mileage?.distanceKm ?? '',
    route: expense.mileage?.route ?? '',
    days: expense.perDiem ? String(expense.perDiem.days) : '',
    split: expense.lines.length > 1,
    lines,
    tags,
    note: expense.note ?? '',
    attendees: expense.attendees.join('\n'),
  };
}

/** What an expense paid: the original of one converted from another currency, else its amount. */
export const paidOf = (expense: Expense): Money => expense.original?.amount ?? expense.amount;

/** The whole amount the lines must add up to: as typed for out-of-pocket in the company's
 * currency, else the server's (another currency is converted when saved). */
export function totalOf(draft: ExpenseDraft, expense: Expense): Money {
  return expense.kind === 'out_of_pocket' && draft.currency === expense.amount.currency ? { amount: draft.amount.trim(), currency: expense.amount.currency } : expense.amount;
}

const textOrNull = (value: string) => (value.trim() === '' ? null : value.trim());
const idOrNull = (value: string) => (value === '' ? null : value);

function sameAmount(a: string, b: string, currency: string): boolean {
  const left = toMinor(a, currency);
  return left !== null && left === toMinor(b, currency);
}

export const attendeesOf = (text: string) =>
  text
    .split('\n')
    .map((name) => name.trim())
    .filter((name) => name !== '');

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Whether a line as typed is the line the server has (so its VAT is the server's). */
export function isSavedLine(line: LineDraft, saved: ExpenseLine | undefined): saved is ExpenseLine {
  return (
    saved !== undefined &&
    sameAmount(line.amount, saved.amount.amount, saved.amount.currency) &&
    idOrNull(line.categoryId) === saved.categoryId &&
    idOrNull(line.taxCodeId) === saved.taxCodeId &&
    textOrNull(line.note) === saved.note
  );
}

function linesPatch(draft: ExpenseDraft, expense: Expense, amountChanged: boolean): Record<string, unknown> {
  if (!draft.split) {
    const line = draft.lines[0]!;
    const categoryId = idOrNull(line.categoryId);
    const taxCodeId = idOrNull(line.taxCodeId);
    // A split expense made whole again is one line over the whole amount.
    if (expense.lines.length > 1) return { lines: [{ amount: totalOf(draft, expense).amount, categoryId, taxCodeId, note: null }] };
    const saved = expense.lines[0];
    return {
      ...(categoryId !== (saved?.categoryId ?? null) ? { categoryId } : {}),
      ...(taxCodeId !== (saved?.taxCodeId ?? null) ? { taxCodeId } : {}),
    };
  }
  const unchanged = draft.lines.length === expense.lines.length && draft.lines.every((line, index) => isSavedLine(line, expense.lines[index]));
  // A new amount needs its split sent again: the lines must add up to it.
  if (unchanged && !amountChanged) return {};
  return {
    lines: draft.lines.map((line) => ({ amount: line.amount.trim(), categoryId: idOrNull(line.categoryId), taxCodeId: idOrNull(line.taxCodeId), note: textOrNull(line.note) })),
  };
}

/** The PATCH body for what changed, or null when nothing did. */
export function patchOf(draft: ExpenseDraft, expense: Expense): Record<string, unknown> | null {
  const body: Record<string, unknown> = {};
  const paid = paidOf(expense);
  if (expense.kind !== 'card') {
    if (textOrNull(draft.merchant) !== expense.merchant) body.merchant = textOrNull(draft.merchant);
    if (draft.spentOn !== expense.spentOn) body.spentOn = draft.spentOn;
  }
  const currencyChanged = expense.kind === 'out_of_pocket' && draft.currency !== paid.currency;
  const amountChanged = expense.kind === 'out_of_pocket' && (currencyChanged || !sameAmount(draft.amount, paid.amount, paid.currency));
  if (amountChanged) body.amount = draft.amount.trim();
  if (currencyChanged) body.currency = draft.currency;
  if (expense.kind === 'mileage' && expense.mileage) {
    if (draft.distanceKm.trim() !== expense.mileage.distanceKm) body.distanceKm = draft.distanceKm.trim();
    if (textOrNull(draft.route) !== expense.mileage.route) body.route = textOrNull(draft.route);
  }
  if (expense.kind === 'per_diem' && expense.perDiem && draft.days.trim() !== String(expense.perDiem.days)) body.days = Number(draft.days);
  Object.assign(body, linesPatch(draft, expense, amountChanged));
  const tagIds = Object.values(draft.tags).filter((id) => id !== '');
  if (!sameList([...tagIds].sort(), [...expense.tagIds].sort())) body.tagIds = tagIds;
  if (textOrNull(draft.note) !== expense.note) body.note = textOrNull(draft.note);
  const attendees = attendeesOf(draft.attendees);
  if (!sameList(attendees, expense.attendees)) body.attendees = attendees;
  return Object.keys(body).length === 0 ? null : body;
}
