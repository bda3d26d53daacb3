import { findAmounts } from './amounts.js';
import type { FieldReading } from './field-reading.js';

/**
 * A line that states the tax charged, not a tax id or a total: GST 6%, VAT, SST, "TAX", and
 * in German and Danish e-mail receipts MwSt., USt. and moms ("heraf moms": of which VAT).
 */
const taxLine = /\b(GST|VAT|SST|TAX|MWST|UST|MOMS)\b/;
const notTaxAmount = /\b(ID|REG|REGISTRATION|NO|NUMBER|NR|INVOICE|INCL|INCLUSIVE|EXCL|EXCLUDING|CODE|SUMMARY|GESAMT|I\s*ALT)\b|GST\s*\(?REG|TAX\s*INVOICE|\bUST-?ID/;
const taxName = '(GST|VAT|SST|TAX|MWST|UST|MOMS)';
const statedTax = new RegExp(
  String.raw`\b(TOTAL\s*${taxName}|${taxName}\.?\s*(AMOUNT|AMT|PAYABLE|INCLUDED)|${taxName}\.?\s*\(?@?\s*\d+([.,]\d+)?\s*%|\d+([.,]\d+)?\s*%\s*${taxName}|HERAF\s*MOMS)`,
);

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
