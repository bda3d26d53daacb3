import { describe, expect, it } from 'vitest';
import { findTotal } from './total.js';

const lines = (text: string): string[] => text.trim().split('\n').map((l) => l.trim());

describe('findTotal', () => {
  it.each([
    ['takes the amount on the TOTAL line', 'COFFEE 4.50\nCAKE 6.00\nTOTAL 10.50', '10.50'],
    ['prefers the rounded total over the unrounded one', 'TOTAL 10.52\nROUNDING -0.02\nROUNDED TOTAL 10.50', '10.50'],
    ['prefers the tax-inclusive total over the subtotal', 'SUBTOTAL 20.00\nTAX 1.20\nTOTAL (INCL TAX) 21.20', '21.20'],
    ['ignores quantity and tax totals', 'TOTAL QTY 3.00\nTOTAL TAX 0.50\nGRAND TOTAL 8.40', '8.40'],
    ['ignores per-rate supply totals', 'TOTAL 0% SUPPLIES: 4.00\nTOTAL 6% SUPPLIES: 10.60\nTOTAL 14.60', '14.60'],
    ['never takes an item count for the total', 'TOTAL ITEMS 2.00\nTOTAL QTY 2.00\nT#T@L ~~', null],
    ['reads an amount printed on the line after its label', 'NETT TOTAL\n  RM 33.90\nCASH 50.00', '33.90'],
    ['uses cash minus change when the total line is unreadable', 'T#T@L  ~~\nCASH 50.00\nCHANGE 12.30', '37.70'],
    ['lets payment evidence break a tie between totals', 'TOTAL 18.60\nTOTAL 16.80\nCASH 20.00\nCHANGE 1.40', '18.60'],
  ])('%s', (_name, text, expected) => {
    expect(findTotal(lines(text))?.value ?? null).toBe(expected);
  });

  it('returns null when nothing is labelled as a total', () => {
    expect(findTotal(lines('COFFEE 4.50\nTHANK YOU'))).toBeNull();
  });

  it('is less confident when two totals compete', () => {
    const clear = findTotal(lines('GRAND TOTAL 9.00\nCASH 10.00\nCHANGE 1.00'));
    const unclear = findTotal(lines('GRAND TOTAL 9.00\nGRAND TOTAL 8.00'));
    expect(clear?.confidence ?? 0).toBeGreaterThan(unclear?.confidence ?? 1);
  });
});
