import { describe, expect, it } from 'vitest';
import { bandsToReread, unsureStrips } from './rereading.js';

/** Lines 40 px apart, as OCR places them on a rendered page. */
const page = (texts: string[]) => texts.map((text, i) => ({ text, confidence: 0.9, top: i * 40, bottom: i * 40 + 30 }));

const receipt = page([
  'ACME TRADING SDN BHD',
  '12 JALAN MERAH',
  'TEL 03-1234 5678',
  'Date: 05/06/2018',
  'ITEM A 2.00',
  'ITEM B 3.00',
  'ITEM C 4.00',
  'ITEM D 5.00',
  'ITEM E 6.00',
  'ITEM F 7.00',
  'ITEM G 8.00',
  'ITEM H 9.00',
  'SUBTOTAL 44.00',
  'TOTAL 44.00',
  'CASH 50.00',
  'CHANGE 6.00',
  'THANK YOU',
  'PLEASE COME AGAIN',
  'GOODS SOLD ARE NOT RETURNABLE',
  'www.acme.example',
]);
const height = 800;

describe('bandsToReread', () => {
  it('reads the money lines again for a weak total, with a line either side', () => {
    expect(bandsToReread(receipt, ['total'], height)).toEqual([{ top: 11 * 40, bottom: 16 * 40 + 30, fields: ['total'] }]);
  });

  it('reads the header again for a weak merchant', () => {
    const [band] = bandsToReread(receipt, ['merchant'], height) ?? [];
    expect(band).toMatchObject({ top: 0, fields: ['merchant'] });
    expect(band?.bottom).toBeGreaterThanOrEqual(5 * 40 + 30);
  });

  it('merges strips that overlap and keeps both fields', () => {
    const bands = bandsToReread(receipt, ['merchant', 'date'], height);
    expect(bands).toHaveLength(1);
    expect(bands?.[0]?.fields).toEqual(['merchant', 'date']);
  });

  it('reads the whole page again when a field left no trace', () => {
    const undated = receipt.filter((l) => !l.text.startsWith('Date'));
    expect(bandsToReread(undated, ['date'], height)).toBeNull();
  });

  it('reads the whole page again when the strips would cover most of it', () => {
    const dense = page(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? `TOTAL ${i}.00` : `Date 0${(i % 9) + 1}/06/2018`)));
    expect(bandsToReread(dense, ['total', 'date'], height)).toBeNull();
  });
});

describe('unsureStrips', () => {
  /** The receipt above with each word read at `confidence`, except the words named in `unsure`. */
  const withWords = (unsure: Record<string, number>) =>
    receipt.map((line) => ({ ...line, words: line.text.split(' ').map((text) => ({ text, confidence: unsure[text] ?? 0.95 })) }));

  it('reads nothing again when every word of the name, date and total was read clearly', () => {
    expect(unsureStrips(withWords({}), 720)).toEqual([]);
  });

  it('takes the name with the lines around it, and the total line, where a word of them was unsure', () => {
    const strips = unsureStrips(withWords({ ACME: 0.4, '44.00': 0.5 }), 720);
    expect(strips).toEqual([
      { top: 0, bottom: 70, fields: ['merchant'] },
      { top: 520, bottom: 550, fields: ['total'] },
    ]);
  });

  it('leaves the date alone when only a word without digits on its line was unsure', () => {
    expect(unsureStrips(withWords({ 'Date:': 0.2 }), 720)).toEqual([]);
    expect(unsureStrips(withWords({ '05/06/2018': 0.6 }), 720)).toEqual([{ top: 120, bottom: 150, fields: ['date'] }]);
  });
});
