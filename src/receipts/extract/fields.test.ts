import { describe, expect, it } from 'vitest';
import { readReceiptFields, readReceiptReadings } from './fields.js';

const today = new Date('2026-12-15T00:00:00Z');

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

  it('reads an online shop\'s e-mail receipt body', () => {
    const fields = readReceiptFields('Acme Books Ltd\nOrder date: 30 Nov 2026\nTotal: €12.50', { today: new Date('2026-12-15T00:00:00Z') });
    expect(fields).toMatchObject({ merchant: 'Acme Books Ltd', date: '2026-11-30', total: '12.50', currency: 'EUR' });
  });

  it('gives nulls and zero confidence for unreadable text', () => {
    const fields = readReceiptFields('~~ ,, ##\n.. ;;');
    expect(fields).toMatchObject({ merchant: null, date: null, total: null, currency: null, vat: null });
    expect(fields.confidence.total).toBe(0);
  });
});

/** Bodies of e-mail receipts from web shops, as the mail arrives (text part). */
const mails: [string, string, { merchant: string | null; date: string; total: string; currency: string | null; vat: string | null }][] = [
  [
    'an English shop with a euro total',
    `Thanks for your order!
     Acme Books Ltd
     Order #12345
     Order date: 30 Nov 2026
     1 x The Book        €10.00
     Shipping            €2.50
     Total: €12.50
     VAT (20%) included: €2.08`,
    { merchant: 'Acme Books Ltd', date: '2026-11-30', total: '12.50', currency: 'EUR', vat: '2.08' },
  ],
  [
    'a German shop with decimal commas',
    `Bestellbestätigung
     Beispiel Shop GmbH
     Bestelldatum: 30.11.2026
     Artikel 1         10,00 EUR
     Versand            2,50 EUR
     Zwischensumme     12,50 EUR
     Gesamt 12,50 EUR
     inkl. 19% MwSt. 1,99 EUR`,
    { merchant: 'Beispiel Shop GmbH', date: '2026-11-30', total: '12.50', currency: 'EUR', vat: '1.99' },
  ],
  [
    'a Danish shop with "I alt" and "heraf moms"',
    `Kvittering
     Eksempel ApS
     Dato: 2026-11-30
     Vare        100,00
     Fragt        25,00
     I alt DKK 125,00
     Heraf moms DKK 25,00`,
    { merchant: 'Eksempel ApS', date: '2026-11-30', total: '125.00', currency: 'DKK', vat: '25.00' },
  ],
  [
    'a British shop with thousands and a pound total',
    `Gadget Warehouse Ltd
     Invoice date: November 30, 2026
     Laptop               £1,199.00
     Subtotal             £999.17
     VAT 20%              £199.83
     Order total          £1,199.00`,
    { merchant: 'Gadget Warehouse Ltd', date: '2026-11-30', total: '1199.00', currency: 'GBP', vat: '199.83' },
  ],
  [
    'a café whose dollar no country resolves',
    `Coffee Corner
     30 Nov 2026 08:14
     Latte   $4.50
     Total   $4.50`,
    { merchant: 'Coffee Corner', date: '2026-11-30', total: '4.50', currency: null, vat: null },
  ],
  [
    'a Danish receipt in crowns with the country named',
    `Butik ApS, Danmark
     30.11.2026
     I alt 125,00 kr.`,
    { merchant: 'Butik ApS, Danmark', date: '2026-11-30', total: '125.00', currency: 'DKK', vat: null },
  ],
  [
    'a Danish shop receipt with thousands dots and "kl." times',
    `Møbelhuset A/S
     Vestergade 12, 8000 Aarhus C
     CVR 12345678
     Dato 07.12.2026 kl. 14.31
     Sofabord            1.199,95
     Levering               34,55
     Total           DKK 1.234,50
     Dankort             1.234,50
     Moms udgør            246,90`,
    { merchant: 'Møbelhuset A/S', date: '2026-12-07', total: '1234.50', currency: 'DKK', vat: '246.90' },
  ],
  [
    'a Swedish café receipt rounded to the crown',
    `Kaffebaren i Lund AB
     Org.nr 556677-8899
     2026-12-07 kl 09:12
     Kaffe               32,00
     Kanelbulle          28,50
     Summa               60,50
     Öresavrundning      -0,50
     Att betala SEK      60,00
     Moms 12%             6,43`,
    { merchant: 'Kaffebaren i Lund AB', date: '2026-12-07', total: '60.00', currency: 'SEK', vat: '6.43' },
  ],
  [
    'a German bakery receipt paid in cash',
    `Bäckerei Müller GmbH
     Hauptstraße 5, 10115 Berlin
     7. Dezember 2026 08:05
     Roggenbrot         3,49
     Käsekuchen         4,99
     Summe EUR          8,48
     Gegeben Bar       10,00
     Rückgeld           1,52
     MwSt 7%            0,55`,
    { merchant: 'Bäckerei Müller GmbH', date: '2026-12-07', total: '8.48', currency: 'EUR', vat: '0.55' },
  ],
];

describe('readReceiptFields on e-mail receipts', () => {
  it.each(mails)('reads %s', (_name, text, expected) => {
    expect(readReceiptFields(text, { today })).toMatchObject(expected);
  });

  it('gives amounts as exact decimal strings, never floats', () => {
    const fields = readReceiptFields('Total: €0.30\nPaid by card', { today });
    expect(fields.total).toBe('0.30');
    expect(typeof fields.total).toBe('string');
  });
});

describe('readReceiptReadings', () => {
  const lines = (text: string, confidence = 0.9) => text.split('\n').map((t) => ({ text: t, confidence }));

  it('lets two readings that agree on the total beat one that misread a digit', () => {
    const misread = lines('ACME TRADING\nTOTAL 18.80');
    const clean = lines('ACME TRADING\nTOTAL 16.80');
    const fields = readReceiptReadings([{ lines: misread }, { lines: clean }, { lines: clean }]);
    expect(fields.total).toBe('16.80');
  });

  it('uses a strip read for one field only for that field', () => {
    const page = lines('ACME TRADING\nDate 05/06/2018\nTOTAL 12.50');
    // A strip of the totals: its first line is no merchant, and it says nothing of the date.
    const strip = lines('TOTAL 12.50\nCASH 20.00\nCHANGE 7.50');
    const fields = readReceiptReadings([{ lines: page }, { lines: strip, fields: ['total'] }]);
    expect(fields).toMatchObject({ merchant: 'ACME TRADING', date: '2018-06-05', total: '12.50' });
    expect(fields.confidence.total).toBeGreaterThan(readReceiptReadings([{ lines: page }]).confidence.total);
  });
});
