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
    ['reads Swedish "varav moms"', ['Totalt SEK 1.229,80', 'varav moms 245,96'], '245.96'],
    ['reads Swedish "Moms 25%"', ['Att betala 60,00', 'Moms 25% 12,00'], '12.00'],
    ['reads Danish "Moms udgør"', ['Total 1.234,50', 'Moms udgør 246,90'], '246.90'],
    ['reads German "USt 19%"', ['Summe 8,48', 'USt 19% 1,35'], '1.35'],
    ['reads German "MwSt 7%" with its net', ['Summe 8,48', 'MwSt 7% Netto 7,93 0,55'], '0.55'],
    ['skips a Swedish VAT registration number', ['Momsreg.nr SE556677889901', 'Moms 25% 12,00'], '12.00'],
    ['skips a German VAT id', ['USt-IdNr. DE123456789', 'MwSt. 19% 1,99'], '1.99'],
  ])('%s', (_name, lines, expected) => {
    expect(findVat(lines)?.value).toBe(expected);
  });

  it('returns null when no tax is printed', () => {
    expect(findVat(['COFFEE 3.00', 'TOTAL 3.00'])).toBeNull();
  });
});
