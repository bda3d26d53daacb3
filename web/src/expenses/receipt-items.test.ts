import { describe, expect, it } from 'vitest';
import { linesOfReceiptItems, type ReceiptItem, type ReceiptTotal } from './receipt-items';

const item = (description: string, amount: string, quantity: string | null = null): ReceiptItem => ({ description, amount, quantity });
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const rest = 'Rest of the receipt';

describe('a split suggested by a receipt\'s items', () => {
  const read = (currency: string | null, total: string | null = null): ReceiptTotal => ({ currency, total });
  const cases: [name: string, items: ReceiptItem[], receipt: ReceiptTotal, total: { amount: string; currency: string }, expected: { amount: string; note: string }[] | null][] = [
    ['one line per item when they add up to the amount', [item('Lunch for 3', '42.80'), item('Tip', '5.20')], read('EUR'), eur('48.00'), [{ amount: '42.80', note: 'Lunch for 3' }, { amount: '5.20', note: 'Tip' }]],
    ['a quantity other than one goes into the note', [item('Kaffe', '9.00', '2'), item('Bolle', '4.50', '1')], read(null, '13.50'), eur('13.50'), [{ amount: '9.00', note: '2 × Kaffe' }, { amount: '4.50', note: 'Bolle' }]],
    ['what the items leave of the amount is a last line', [item('Taxi', '30.00'), item('Booking fee', '2.00')], read('EUR'), eur('35.00'), [{ amount: '30.00', note: 'Taxi' }, { amount: '2.00', note: 'Booking fee' }, { amount: '3.00', note: rest }]],
    ['a discount comes off the item before it', [item('Shirt', '40.00'), item('Rabat', '-10.00'), item('Socks', '5.00')], read('EUR'), eur('35.00'), [{ amount: '30.00', note: 'Shirt' }, { amount: '5.00', note: 'Socks' }]],
    ['items above the amount are no split of it', [item('A', '30.00'), item('B', '30.00')], read('EUR'), eur('50.00'), null],
    ['items in another currency than the expense\'s', [item('A', '10.00'), item('B', '10.00')], read('USD'), eur('20.00'), null],
    ['a single item is nothing to split', [item('A', '10.00')], read('EUR'), eur('10.00'), null],
    ['a discount first has nothing to come off', [item('Rabat', '-1.00'), item('A', '5.00'), item('B', '5.00')], read('EUR'), eur('9.00'), null],
    ['a discount as large as its item leaves no line', [item('A', '5.00'), item('Gratis', '-5.00'), item('B', '5.00')], read('EUR'), eur('5.00'), null],
    ['amounts finer than the currency are no amounts in it', [item('A', '5.005'), item('B', '5.00')], read('EUR'), eur('10.01'), null],
    ['a currency without decimals, its amounts read with two', [item('Ramen', '1200.00'), item('Gyoza', '600.00')], read('JPY'), { amount: '1800', currency: 'JPY' }, [{ amount: '1200', note: 'Ramen' }, { amount: '600', note: 'Gyoza' }]],
    ['yen read with decimals that are no zeros are no yen', [item('Ramen', '12.50'), item('Gyoza', '600.00')], read('JPY'), { amount: '1800', currency: 'JPY' }, null],
    ['no currency read, and a total read that is not the expense\'s amount', [item('A', '10.00'), item('B', '10.00')], read(null, '20.00'), eur('25.00'), null],
    ['no currency and no total read', [item('A', '10.00'), item('B', '10.00')], read(null), eur('20.00'), null],
    ['free items are left out', [item('A', '5.00'), item('Bag', '0.00'), item('B', '5.00')], read('EUR'), eur('10.00'), [{ amount: '5.00', note: 'A' }, { amount: '5.00', note: 'B' }]],
  ];
  it.each(cases)('%s', (_name, items, receipt, total, expected) => {
    expect(linesOfReceiptItems(items, receipt, total, rest)).toEqual(expected);
  });

  it('refuses more lines than an expense takes', () => {
    const items = Array.from({ length: 51 }, (_, n) => item(`Item ${n}`, '1.00'));
    expect(linesOfReceiptItems(items, { currency: 'EUR', total: null }, eur('51.00'), rest)).toBeNull();
    expect(linesOfReceiptItems(items.slice(0, 50), { currency: 'EUR', total: null }, eur('50.00'), rest)).toHaveLength(50);
  });
});
