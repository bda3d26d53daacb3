import { describe, expect, it } from 'vitest';
import { readLineItems, type LineItem } from './line-items.js';

const lines = (text: string): string[] => text.trim().split('\n').map((l) => l.trim());
const item = (description: string, quantity: string | null, amount: string): LineItem => ({ description, quantity, amount });

describe('readLineItems', () => {
  it.each<[string, string, string | null, LineItem[]]>([
    [
      'reads items with a quantity column that add up to the subtotal',
      'SUNRISE KOPITIAM SDN BHD\nDate: 05/06/2018 Time: 13:02\nKOPI O        2   2.40\nROTI BAKAR    1   3.50\nSUBTOTAL          5.90\nGST 6%            0.35\nTOTAL (INCL GST) RM 6.25',
      '6.25',
      [item('KOPI O', '2', '2.40'), item('ROTI BAKAR', '1', '3.50')],
    ],
    [
      'reads Danish items with thousands dots that add up to the total',
      'Møbelhuset A/S\nDato 07.12.2026 kl. 14.31\nSofabord            1.199,95\nLevering               34,55\nTotal           DKK 1.234,50\nDankort             1.234,50',
      '1234.50',
      [item('Sofabord', null, '1199.95'), item('Levering', null, '34.55')],
    ],
    [
      'joins a description to the quantity and price printed below it',
      'Kaffebaren AB\nKanelbulle\n2 x 14,25       28,50\nKaffe          32,00\nSumma          60,50\nAtt betala     60,00',
      '60.00',
      [item('Kanelbulle', '2', '28.50'), item('Kaffe', null, '32.00')],
    ],
    [
      'reads a quantity and unit price on the item line',
      'Bäckerei Müller\nBrötchen 3 x 0,45   1,35\nKäsekuchen           4,99\nSumme EUR            6,34',
      '6.34',
      [item('Brötchen', '3', '1.35'), item('Käsekuchen', null, '4.99')],
    ],
    [
      'subtracts a discount line',
      'Shop\nJacket        100,00\nRabat         -20,00\nI alt          80,00',
      '80.00',
      [item('Jacket', null, '100.00'), item('Rabat', null, '-20.00')],
    ],
    [
      'reads a quantity printed before the description, and not an item code',
      'Burger Bar\n2 McChicken       15.90\n407 CADBURY HAZEL  7.49\nTOTAL             23.39',
      '23.39',
      [item('McChicken', '2', '15.90'), item('407 CADBURY HAZEL', null, '7.49')],
    ],
    [
      'leaves out the article number printed before or after an item\'s name',
      'MR D.I.Y.\n9555916500133 KF MODELLING CLAY 3.50\nWHITE BREAD 9557369001015 2.90\n12345678 TAPE 1.00\nTOTAL 7.40',
      '7.40',
      [item('KF MODELLING CLAY', null, '3.50'), item('WHITE BREAD', null, '2.90'), item('TAPE', null, '1.00')],
    ],
    [
      'takes the line above for the description of an amount printed after a currency alone',
      'Kedai\nTEH TARIK\nRM           2.83\nMILO\nRM           4.15\nTOTAL RM     6.98',
      '6.98',
      [item('TEH TARIK', null, '2.83'), item('MILO', null, '4.15')],
    ],
    ['gives none when the items do not add up (a misread)', 'Shop\nJacket        100,00\nScarf          18,00\nI alt         128,00', '128.00', []],
    ['gives none without a total or subtotal to check them against', 'Shop\nJacket        100,00\nScarf          28,00', null, []],
    ['gives none when there are no items', 'Shop\nTotal 12,00', '12.00', []],
    ['gives none for a single item, which is the whole receipt', 'Shop\nJacket        100,00\nI alt         100,00', '100.00', []],
    ['gives none when no total was read, even if a printed total matches', 'Shop\nJacket        100,00\nScarf          28,00\nI alt         128,00', null, []],
    [
      'takes no column heading for the description of a priced line below it, so that line leaves the list short',
      'Shop\nQty Description          Total\n1   30.00              30.00\nFish Item              15.00\nRice                   15.00\nTOTAL                  60.00',
      '60.00',
      [],
    ],

  ])('%s', (_name, text, total, expected) => {
    expect(readLineItems(lines(text), total)).toEqual(expected);
  });
});
