import { describe, expect, it } from 'vitest';
import { compareAmounts, findAmounts, findAmountsWithoutPoint, normaliseAmount, subtractAmounts } from './amounts.js';

describe('normaliseAmount', () => {
  it.each([
    ['12.50', '12.50'],
    ['1,234.50', '1234.50'],
    ['1.234,50', '1234.50'],
    ['12,50', '12.50'],
    ['007.20', '7.20'],
    ['0.00', '0.00'],
    ['1 234,50', '1234.50'],
    ['12.345.678,90', '12345678.90'],
    ['1,23.50', null],
    ['12.5', null],
  ])('reads %s as %s', (printed, expected) => {
    expect(normaliseAmount(printed)).toBe(expected);
  });
});

describe('findAmounts', () => {
  it.each([
    ['TOTAL        RM 45.60', ['45.60']],
    ['Qty 2 x 3.10      6.20', ['3.10', '6.20']],
    ['Date 03.04.2019 Time 10:12', []],
    ['CASH 1,200.00 CHANGE 4.35', ['1200.00', '4.35']],
    ['Ref 2024/11.30 14:05:30', []],
    ['SUBTOTAL 1 234.00', ['1234.00']],
    ['ITEM 4 12.00', ['12.00']],
    ['incl. VAT 25%       200. 19', ['200.19']],
    ['Summa 1 234,50 kr', ['1234.50']],
    ['Summa 1\u00a0234,50 kr', ['1234.50']],
    ['Gesamt EUR 1.234,50', ['1234.50']],
    ['I alt kr. 1.234,50', ['1234.50']],
    ['Kl. 14.31 Dato 07.12.2026', []],
    ['Screws               42 .95', ['42.95']],
  ])('finds the amounts in %j', (line, expected) => {
    expect(findAmounts(line).map((a) => a.value)).toEqual(expected);
  });
});

describe('amount arithmetic', () => {
  it('subtracts exactly', () => {
    expect(subtractAmounts('100.00', '19.10')).toBe('80.90');
    expect(subtractAmounts('0.30', '0.25')).toBe('0.05');
    expect(subtractAmounts('1.00', '2.00')).toBeNull();
  });
  it('compares by value, not by text', () => {
    expect(compareAmounts('9.90', '10.00')).toBeLessThan(0);
    expect(compareAmounts('10.05', '10.00')).toBeGreaterThan(0);
    expect(compareAmounts('3.00', '3.00')).toBe(0);
  });
});

describe('findAmountsWithoutPoint', () => {
  it('reads "41 50" as 41.50 on a line with no regular amount', () => {
    expect(findAmountsWithoutPoint('TOTAL        41 50').map((a) => a.value)).toEqual(['41.50']);
  });
  it('keeps regular amounts when there are some', () => {
    expect(findAmountsWithoutPoint('TOTAL 2 ITEMS 41.50').map((a) => a.value)).toEqual(['41.50']);
  });
});
