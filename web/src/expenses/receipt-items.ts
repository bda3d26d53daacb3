// A split suggested by the items printed on an expense's receipt: one line per item, with
// the item as the line's note, in the expense's currency. The server gives a receipt's items
// only when they add up to its total or a subtotal; here they must also fit the expense: in
// its currency (read from the receipt, or, where the receipt names none, its total read equal
// to the expense's amount) and not above its amount. What the items leave of the amount (a tip, a fee
// printed below the subtotal) becomes a last line of its own, and a discount is taken off the
// item printed before it, since a line cannot be negative.
import type { Money } from '../api/types';
import { fromMinor, toMinor } from '../money';

export interface ReceiptItem {
  description: string;
  quantity: string | null;
  amount: string;
}

export interface SuggestedLine {
  amount: string;
  note: string;
}

/** src/expenses/expense-details.ts linesMax, and the line note's length. */
const linesMax = 50;
const noteLengthMax = 200;

/** The reading's amounts have two decimals whatever the currency ("1200.00" yen): decimals
 * past the currency's that are zeros are dropped, others make it no amount in it. */
function minorOf(amount: string, currency: string): bigint | null {
  return toMinor(amount, currency) ?? toMinor(amount.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''), currency);
}

function noteOf(item: ReceiptItem): string {
  const described = item.quantity !== null && item.quantity !== '1' ? `${item.quantity} × ${item.description}` : item.description;
  return described.trim().slice(0, noteLengthMax);
}

/** What the receipt's reading says of its currency and total. */
export interface ReceiptTotal {
  currency: string | null;
  total: string | null;
}

/**
 * The lines, or null when the items cannot split this expense: fewer than two, in another
 * currency than the expense's (or, with no currency read, a total read that is not the
 * expense's amount), adding up to more than the amount, a discount with no item before it or
 * larger than it, or more lines than an expense takes.
 */
export function linesOfReceiptItems(items: readonly ReceiptItem[], receipt: ReceiptTotal, total: Money, restNote: string): SuggestedLine[] | null {
  if (items.length < 2) return null;
  const totalMinor = toMinor(total.amount, total.currency);
  if (totalMinor === null || totalMinor <= 0n) return null;
  if (receipt.currency !== null ? receipt.currency !== total.currency : receipt.total === null || minorOf(receipt.total, total.currency) !== totalMinor) return null;
  const lines: { minor: bigint; note: string }[] = [];
  for (const item of items) {
    const minor = minorOf(item.amount, total.currency);
    if (minor === null) return null;
    if (minor < 0n) {
      const previous = lines.at(-1);
      if (!previous || previous.minor + minor <= 0n) return null;
      previous.minor += minor;
      continue;
    }
    if (minor === 0n) continue;
    lines.push({ minor, note: noteOf(item) });
  }
  const itemsMinor = lines.reduce((sum, line) => sum + line.minor, 0n);
  if (lines.length < 2 || itemsMinor > totalMinor) return null;
  if (itemsMinor < totalMinor) lines.push({ minor: totalMinor - itemsMinor, note: restNote });
  if (lines.length > linesMax) return null;
  return lines.map((line) => ({ amount: fromMinor(line.minor, total.currency), note: line.note }));
}
