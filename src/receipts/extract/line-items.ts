// The items a receipt lists (description, quantity, amount), so an expense can be split by
// them. OCR of an item list is often partly wrong, so items are given only when they add up
// to the receipt's total or to a printed subtotal: a list that does not is not shown at all.
import { addAmounts, findAmounts, subtractAmounts } from './amounts.js';
import { moneyLines, printedTotals } from './total.js';

export interface LineItem {
  description: string;
  /** As a plain decimal ("2", "0.5"); null where the receipt prints none. */
  quantity: string | null;
  /** The line's amount, a canonical decimal string; a discount line is negative ("-5.00"). */
  amount: string;
}

/** A receipt listing more items than this is read without them: no till prints such a slip. */
export const lineItemsMax = 100;
/** One item is the whole receipt: nothing to split, and too easily a stray line that matches. */
export const lineItemsMin = 2;
const descriptionLengthMax = 120;
/** An article number (an EAN-8 or EAN-13 barcode's digits, a shop's own code) printed before or
 * after the item's name: six digits or more, which no quantity or name has. */
const articleNumberFirst = /^\s*\d{6,14}\b\s*/;
const articleNumberLast = /\s*\b\d{6,14}\s*$/;

/**
 * A quantity before its unit price: "2 x 3,10", "2 st à 14,90", "2 Stk x", "3 @ 1.20",
 * "1.00 x 8.50"; or "Qty 2".
 */
const quantityBeforePrice = /(?<![\d.,])(\d{1,4}(?:[.,]\d{1,3})?)\s*(?:st|stk|stck|pcs|pc|x|×|@|à)?\.?\s*(?:[x×@à])\s*\d/i;
const quantityLabel = /\b(?:qty|antal|anzahl|menge)\.?\s*:?\s*(\d{1,4})\b/i;
/** A column of whole quantities between the description and the amount: "KOPI O   2   2.40". */
const quantityColumn = /\s(\d{1,3})\s+$/;
/** A quantity printed first, before the description: "2 McChicken". Three digits are an item code. */
const quantityFirst = /^\s*(\d{1,2})\s+(?=\p{L})/u;
/** A currency printed before the amount is no description: "RM 2.83", "kr 12,00". */
const currencyOnly = /^\s*(RM|MYR|KR|DKK|SEK|EUR|NOK|GBP|USD|[$€£])?\.?\s*$/i;
/** The heading of the item columns ("Qty Description Price Amount"): no item's description. */
const columnHeading = /\b(QTY|DESCRIPTION|ITEMS?|PRICE|AMOUNT|ANTAL|BESKRIVELSE|VARE|PRIS|BEL[ØO]B|ARTIKEL|MENGE|PREIS|BETRAG|BENÄMNING|BELOPP)\b/i;

function plainQuantity(printed: string): string {
  const [whole = '', fraction = ''] = printed.replace(',', '.').split('.');
  const kept = fraction.replace(/0+$/, '');
  return `${whole.replace(/^0+(?=\d)/, '')}${kept ? `.${kept}` : ''}`;
}

interface ItemLine {
  description: string;
  quantity: string | null;
  amount: string;
  negative: boolean;
}

/** One printed line as an item, or null when it has no amount. */
function itemLine(line: string): ItemLine | null {
  const amounts = findAmounts(line);
  const last = amounts[amounts.length - 1];
  const first = amounts[0];
  if (!last || !first) return null;
  const before = line.slice(0, first.start);
  const priced = quantityBeforePrice.exec(line);
  const column = amounts.length === 1 ? quantityColumn.exec(before) : null;
  const leading = quantityFirst.exec(before);
  const quantity = priced?.[1] ?? quantityLabel.exec(line)?.[1] ?? column?.[1] ?? leading?.[1];
  // The description is the text before any quantity or price, without the column of quantities.
  const cut = Math.min(priced && priced.index < first.start ? priced.index : before.length, column?.index ?? before.length);
  const description = before
    .slice(leading && !priced && !column ? leading[0].length : 0, cut)
    .replace(quantityLabel, '')
    .replace(/[\s:.*-]+$/, '')
    .replace(articleNumberFirst, '')
    .replace(articleNumberLast, '')
    .trim();
  const negative = /-\s*$/.test(line.slice(0, last.start)) || /^\s*-/.test(line.slice(last.start + last.value.length));
  return { description: description.slice(0, descriptionLengthMax), quantity: quantity ? plainQuantity(quantity) : null, amount: last.value, negative };
}

function sumOf(items: readonly ItemLine[]): string | null {
  let sum: string | null = '0.00';
  for (const item of items) {
    if (sum === null) return null;
    sum = item.negative ? subtractAmounts(sum, item.amount) : addAmounts(sum, item.amount);
  }
  return sum;
}

/**
 * The items printed above the first money line (subtotal, total, tax or payment). A line
 * with a description and no amount, followed by a line of only quantity and price
 * ("Kanelbulle" over "2 x 14,25   28,50"), is one item; a line with an amount but no words
 * is no item.
 */
function printedItems(lines: readonly string[]): ItemLine[] {
  const end = moneyLines(lines)[0] ?? -1;
  const items: ItemLine[] = [];
  let pending: string | null = null;
  for (const line of lines.slice(0, Math.max(0, end))) {
    const item = itemLine(line);
    const hasWords = /\p{L}{2,}/u.test(item ? item.description : line) && !(item && currencyOnly.test(item.description));
    if (!item) {
      pending = hasWords && !columnHeading.test(line) ? line.trim().slice(0, descriptionLengthMax) : null;
      continue;
    }
    if (hasWords) items.push(item);
    else if (pending !== null) items.push({ ...item, description: pending });
    pending = null;
  }
  return items;
}

/**
 * The receipt's items, when there are two or more and the amounts of those printed above its
 * totals add up to the total read (`total`) or to a total or subtotal printed on it (before
 * rounding, tax or discount); an empty list otherwise, and always without a total. Pure.
 */
export function readLineItems(lines: readonly string[], total: string | null): LineItem[] {
  const items = printedItems(lines);
  if (total === null || items.length < lineItemsMin || items.length > lineItemsMax) return [];
  const sum = sumOf(items);
  const sums = new Set([total, ...printedTotals(lines)]);
  if (sum === null || !sums.has(sum)) return [];
  return items.map((item) => ({ description: item.description, quantity: item.quantity, amount: item.negative ? `-${item.amount}` : item.amount }));
}
