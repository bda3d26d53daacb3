import { findAmounts } from './amounts.js';
import type { FieldReading } from './field-reading.js';

/** A line that states the tax charged (GST 6%, VAT, SST, "TAX"), not a tax id or a total. */
const taxLine = /\b(GST|VAT|SST|TAX)\b/;
const notTaxAmount = /\b(ID|REG|REGISTRATION|NO|NUMBER|INVOICE|INCL|INCLUSIVE|EXCL|EXCLUDING|CODE|SUMMARY)\b|GST\s*\(?REG|TAX\s*INVOICE/;
const statedTax = /\b(TOTAL\s*(GST|VAT|SST|TAX)|(GST|VAT|SST|TAX)\s*(AMOUNT|AMT|PAYABLE)|(GST|VAT|SST)\s*@?\s*\d+(\.\d+)?\s*%)/;

/**
 * The VAT (GST/SST) amount: the rightmost amount on a line that states the tax charged.
 * Lines that name the tax explicitly ("TOTAL GST", "GST 6%") are preferred over a bare "TAX".
 */
export function findVat(lines: readonly string[]): FieldReading | null {
  let fallback: string | null = null;
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (!taxLine.test(upper) || notTaxAmount.test(upper.replace(statedTax, ''))) continue;
    const amounts = findAmounts(line);
    const value = amounts[amounts.length - 1]?.value;
    if (value === undefined) continue;
    if (statedTax.test(upper)) return { value, confidence: 0.7 };
    fallback ??= value;
  }
  return fallback === null ? null : { value: fallback, confidence: 0.4 };
}
