import { describe, expect, it } from 'vitest';
import { readReceiptFields } from './fields.js';

const receipt = `
   SUNRISE KOPITIAM SDN BHD
   (654321-X)
   12, JALAN MERAH, 50000 KUALA LUMPUR
   GST REG NO: 000111222333
   TAX INVOICE
   Date: 05/06/2018   Time: 13:02
   KOPI O        2   2.40
   ROTI BAKAR    1   3.50
   SUBTOTAL          5.90
   GST 6%            0.35
   ROUNDING         -0.00
   TOTAL (INCL GST) RM 6.25
   CASH             10.00
   CHANGE            3.75
`;

describe('readReceiptFields', () => {
  it('reads every field of a typical receipt', () => {
    const fields = readReceiptFields(receipt);
    expect(fields).toMatchObject({
      merchant: 'SUNRISE KOPITIAM SDN BHD',
      date: '2018-06-05',
      total: '6.25',
      currency: 'MYR',
      vat: '0.35',
    });
    expect(fields.confidence.total).toBeGreaterThan(0.5);
  });

  it('gives nulls and zero confidence for unreadable text', () => {
    const fields = readReceiptFields('~~ ,, ##\n.. ;;');
    expect(fields).toMatchObject({ merchant: null, date: null, total: null, currency: null, vat: null });
    expect(fields.confidence.total).toBe(0);
  });
});
