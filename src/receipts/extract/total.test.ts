import { describe, expect, it } from 'vitest';
import type { OcrLine } from './ocr-page.js';
import { pickTotal, totalCandidates } from './total.js';

const findTotal = (lines: readonly (string | OcrLine)[]) => pickTotal(totalCandidates(lines));

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
    // Arithmetic: two other printed numbers that land on the same amount outvote one misread digit.
    ['trusts cash minus change and the item sum over a misread total', 'PEN 35.60\nRULER 32.50\nTOTAL INCL. GST RM 48.10\nCASH RM 100.10\nCHANGE RM 32.00', '68.10'],
    ['trusts subtotal less discount and the payment over a misread grand total', 'Sub-Total : 45.70\nCoupon Discount : 14.80\nGrand Total : 30.50\nPayment : 101.00\nChange Due : 70.10', '30.90'],
    ['adds the rounding to the unrounded total', 'Total with GST @ 6% 41.48\nRounding 0.02', '41.50'],
    ['derives the total from subtotal and tax when the total line is unreadable', 'SUB-TOTAL (EX) : 26.00\nTOTAL TAX : 1.56\nROUNDING -0.01\nTOTAL 7. 2', '27.55'],
    ['takes the rounded total over the unrounded one that cash confirms', 'Total RM Incl. of GST 14.64\nRounding Adj 0.01\nTotal RM 14.65\nCash 50.00\nCHANGE 35.35', '14.65'],
    ['does not take "(Inclusive of GST)" for a label of the cash below it', 'Total Sales (Excluding GST) 20.00\n(Inclusive of GST)\nCASH : 100.00\nChange : 78.80', '21.20'],
    ['never takes a per-rate tax-table total', 'Total 0% supplies: 19.83\nTotal 6% supplies (Inc. GST): 32.65', null],
    ['ignores a GST summary table', 'TOTAL 10.60\nGST SUMMARY\nRate % TOTAL\nSR 6% 10.00 0.60', '10.60'],
    ['lets the tax summary outvote a misread item line and the cash', 'ITEM 1 15.00 15.00 SR\nSUB-TOTAL (GST) 16.00\nTOTAL 16.00\nCASH 15.00\nCHANGE 0.00\nGST SUMMARY\nCODE AMOUNT % TAX\nSR 15.09 6 0.91', '16.00'],
    ['reads a German total', 'Zwischensumme 10,00 EUR\nVersand 2,50 EUR\nGesamt 12,50 EUR', '12.50'],
    ['reads a Danish total', 'Vare 100,00\nI alt DKK 125,00\nHeraf moms DKK 25,00', '125.00'],
    ['reads a Swedish "Att betala" over the rounded-off sum', 'Kaffe 32,00\nBulle 28,50\nSumma 60,50\nÖresavrundning -0,50\nAtt betala 60,00\nMoms 25% 12,00', '60.00'],
    ['reads a Swedish "Totalt SEK"', 'Mjölk 2 st 29,80\nTotalt SEK 1.229,80\nvarav moms 245,96', '1229.80'],
    ['reads a German "Summe" and the cash line', 'Brot 3,49\nKäse 4,99\nSumme EUR 8,48\nGegeben Bar 10,00\nRückgeld 1,52', '8.48'],
    ['reads a German "Betrag" under "Gesamtbetrag"', 'Artikel 1.199,00\nGesamtbetrag 1.234,50\nEC-Karte 1.234,50', '1234.50'],
    ['reads a Danish "Total" with thousands dots', 'Jakke 1.199,95\nTotal 1.234,50\nDankort 1.234,50\nMoms udgør 246,90', '1234.50'],
    ['reads a Danish payment with change', 'Øl 45,00\nI alt 45,00\nKontant 100,00\nByttepenge 55,00', '45.00'],
    ['reads "Total paid" in a web shop receipt as the total', 'Item €10.00\nTotal paid: €10.00', '10.00'],
    ['reads a Danish "Total inkl. moms" as the total with its tax', 'Kaffe 100,00\nTotal inkl. moms 125,00\nHeraf moms 25,00', '125.00'],
    ['reads a German "Summe inkl. MwSt" as the total, the tax in it not', 'Brot 3,49\nKäse 4,99\nSumme inkl. MwSt 8,48\nenthaltene MwSt 19% 1,35', '8.48'],
    ['reads a Swedish "Totalt inkl. moms" as the total', 'Mjölk 29,80\nBröd 35,00\nTotalt inkl. moms 64,80\nvarav moms 12% 6,94', '64.80'],
    ['does not take a tax line that starts with a total word and "inkl." after the tax', 'Vare 100,00\nI alt 125,00\nTotal moms inkl. 25,00', '125.00'],
    // A plain total just above a final total whose figure is lost (a highlighter, a pen) is not the total.
    ['does not take the items\' total for a final total it cannot read', 'Total 11.60\nRounding Adj 0.01\nTotal Inclusive GST:   oy', null],
    ['takes cash less change for a final total it cannot read', 'Total 11.60\nRounding Adj 0.01\nTotal Inclusive GST:   oy\nCASH 20.00\nChange 9.55', '10.45'],
    ['keeps a plain total far above an unread final total line', 'Total 11.60\nA\nB\nC\nD\nTotal Inclusive GST:   oy', '11.60'],
    ['keeps a total that prose about the amount due follows', 'TOTAL 11.60\nAmount due is payable within thirty days of the invoice', '11.60'],
    ['reads "Total payable" as OCR cuts it', 'Total 0% supplie. 9.62\nTotal Payalte: 5.90', '5.90'],
    ['counts "Total payable" as OCR cuts it for a final total', 'Sub Total 6.50\nTotal Payalte: 5.90\nCash 6.50\nChange 0.00', '5.90'],
    ['does not count a "Total payout" for a final total', 'Sub Total 6.50\nTotal Payout: 5.90\nCash 6.50\nChange 0.00', '6.50'],
    ['never takes a per-rate total whose label OCR cut short', 'Total 6% supplies (Inc. GST): 15.52\nTotal & supplic . 9.62', null],
    ['keeps a total that "(Inclusive of GST)" continues', 'TOTAL 21.20\n(Inclusive of GST)', '21.20'],
    // Footers, slips and tables below a total that are no unread final total.
    ['keeps a total above "Balance due upon receipt"', 'TOTAL 11.60\nBalance due upon receipt', '11.60'],
    ['keeps a total above a bare "Amount due"', 'TOTAL 11.60\nAmount due', '11.60'],
    ['keeps a total above "All prices inclusive of VAT"', 'TOTAL 21.20\nAll prices inclusive of VAT', '21.20'],
    ['keeps a German total above a bare "Zu zahlen"', 'Summe 12,50\nZu zahlen', '12.50'],
    ['keeps a Danish total above a count of items "i alt"', 'Total 45,00\nAntal varer i alt: 5', '45.00'],
    ['keeps a total above a loyalty line "Total PAYBACK points"', 'Total 12.50\nTotal PAYBACK points 1250', '12.50'],
    ['keeps a total above a tax summary\'s total row', 'Item 21.20\nTOTAL 21.20\nGST SUMMARY Amount Tax\nSR 6% 20.00 1.20\nTotal Amt 20.00 1.20', '21.20'],
    // An item's "supplement" or a "Supplier:" line is no subtotal.
    ['adds tax to the subtotal, not to an item\'s supplement', 'Nasi lemak 5.00\nEgg supplement 1.00\nSub Total 6.00\nGST 6% 0.36\nRounding Adj -0.01\nT#T@L ~~', '6.35'],
    ['takes no amount for a "Supplier:" label', 'Supplier: ACME Sdn Bhd\nPen 10.00\nRuler 5.00\nSub Total 15.00\nGST 6% 0.90\nT#T@L ~~', '15.90'],
  ])('%s', (_name, text, expected) => {
    expect(findTotal(lines(text))?.value ?? null).toBe(expected);
  });

  it('returns null when nothing is labelled as a total', () => {
    expect(findTotal(lines('COFFEE 4.50\nTHANK YOU'))).toBeNull();
  });

  it('counts an amount OCR read with low confidence for less', () => {
    const line = (text: string, amount: string, confidence: number) => ({ text, confidence, words: [...text.replace(amount, '').trim().split(/\s+/).map((w) => ({ text: w, confidence: 0.95 })), { text: amount, confidence }] });
    const clear = findTotal([line('GRAND TOTAL 9.00', '9.00', 0.95)]);
    const smudged = findTotal([line('GRAND TOTAL 9.00', '9.00', 0.3)]);
    expect(smudged?.value).toBe('9.00');
    expect(smudged?.confidence ?? 1).toBeLessThan(clear?.confidence ?? 0);
  });

  it('is less confident when two totals compete', () => {
    const clear = findTotal(lines('GRAND TOTAL 9.00\nCASH 10.00\nCHANGE 1.00'));
    const unclear = findTotal(lines('GRAND TOTAL 9.00\nGRAND TOTAL 8.00'));
    expect(clear?.confidence ?? 0).toBeGreaterThan(unclear?.confidence ?? 1);
  });
});
