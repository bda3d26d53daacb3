import { describe, expect, it } from 'vitest';
import { findVat } from './vat.js';

describe('findVat', () => {
  it.each([
    ['reads the TOTAL GST line', ['SUBTOTAL 10.00', 'TOTAL GST 0.60', 'TOTAL 10.60'], '0.60'],
    ['reads a rate line', ['GST 6%  RM 1.20'], '1.20'],
    ['reads VAT amount', ['VAT AMOUNT 3.33', 'TOTAL 20.00'], '3.33'],
    ['skips the tax registration number', ['GST REG NO 001234567890', 'GST @6% 0.90'], '0.90'],
    ['skips tax-inclusive totals', ['TOTAL INCL GST 15.90', 'GST PAYABLE 0.90'], '0.90'],
    ['reads the GST a total includes', ['Total Incl. GST@6% RM 28.00', 'GST @6% included in total RM 1.58'], '1.58'],
    ['reads German MwSt.', ['Gesamt 12,50 EUR', 'inkl. 19% MwSt. 1,99 EUR'], '1.99'],
    ['reads Danish moms', ['I alt DKK 125,00', 'Heraf moms DKK 25,00'], '25.00'],
    ['reads VAT with its rate in brackets', ['VAT (20%) £2.08'], '2.08'],
    ['skips a German VAT id', ['USt-IdNr. DE123456789', 'MwSt. 19% 1,99'], '1.99'],
  ])('%s', (_name, lines, expected) => {
    expect(findVat(lines)?.value).toBe(expected);
  });

  it('returns null when no tax is printed', () => {
    expect(findVat(['COFFEE 3.00', 'TOTAL 3.00'])).toBeNull();
  });
});
