import { describe, expect, it } from 'vitest';
import { dateCandidates, pickDate, type DateOptions } from './dates.js';

const findPurchaseDate = (lines: readonly string[], options: DateOptions = {}) => pickDate(dateCandidates(lines, options));

const today = new Date('2026-12-15T00:00:00Z');

describe('findPurchaseDate', () => {
  it.each([
    ['Date: 03/04/2019 14:22', '2019-04-03'],
    ['DATE 3-4-2019', '2019-04-03'],
    ['Date 03.04.19 Time 12:00', '2019-04-03'],
    ['2019-04-03 09:15', '2019-04-03'],
    ['Printed 11/25/2020 8:01 PM', '2020-11-25'],
    ['Date : 7 Apr 2021', '2021-04-07'],
    ['DATE: 07-APR-21', '2021-04-07'],
    ['15 SEPTEMBER 2022', '2022-09-15'],
    ['Jan 5, 2020 10:00', '2020-01-05'],
    ['Bill 0304/2019 Cashier 2', '2019-04-03'],
    ['Receipt 27032018 0012', '2018-03-27'],
    ['GST ID 002139201536', null],
    ['Date 31/02/2019', null],
    ['Ref 1999/12/31', null],
    ['Phone 03-7781 2345', null],
    ['Date 01/01/2091', null],
    ['Date 01/01/2028', null],
    ['Printed 12.10.2018 total 3.10.2018', '2018-10-12'],
    ['Order date: 2026-11-30', '2026-11-30'],
    ['Bestelldatum: 30.11.2026', '2026-11-30'],
    ['Order placed 30 Nov 2026', '2026-11-30'],
    ['November 30, 2026', '2026-11-30'],
    ['Datum: 30. November 2026', '2026-11-30'],
    ['Købsdato 30. dec. 2025', '2025-12-30'],
    ['Rechnung vom 1. März 2025', '2025-03-01'],
    ['Dato 07.12.2026 14:31', '2026-12-07'],
    ['Købt 7. dec. 2026', '2026-12-07'],
    ['7 december 2026 kl. 14.31', '2026-12-07'],
    ['Datum 2026-12-07 14:31', '2026-12-07'],
    ['den 7 okt. 2026', '2026-10-07'],
    ['Datum: 07.12.26 Uhrzeit 14:31', '2026-12-07'],
    ['7. Dezember 2026', '2026-12-07'],
    ['07. Mrz. 2026', '2026-03-07'],
    ['7 maj 2026', '2026-05-07'],
    ['7. marts 2026', '2026-03-07'],
    ['Kvitto 2026-12-07 kl 14:31', '2026-12-07'],
    ['DATE 27:03:2018', '2018-03-27'],
    ['DATE: 1O/O5/2017', '2017-05-10'],
    ['Time 10:17:32', null],
    ['CB: 78292158323  14/4un/2017 08:34:22', '2017-06-14'],
    ['Date 03-0CT-2018', '2018-10-03'],
    ['Ref 12/ABC/2018', null],
    ['Date 03/JXN/2018', null],
  ])('reads %j as %s', (line, expected) => {
    expect(findPurchaseDate([line], { today })?.value ?? null).toBe(expected);
  });

  it('reads month first when told to, but never a date written with dots', () => {
    expect(findPurchaseDate(['Date 03/04/2019'], { dayFirst: false })?.value).toBe('2019-03-04');
    expect(findPurchaseDate(['Date 03-04-2019'], { dayFirst: false })?.value).toBe('2019-03-04');
    expect(findPurchaseDate(['Date 07.12.2026'], { dayFirst: false, today })?.value).toBe('2026-12-07');
    expect(findPurchaseDate(['Dato 0712.2026'], { dayFirst: false, today })?.value).toBe('2026-12-07');
  });

  it('does not let a later unambiguous date beat the first one', () => {
    expect(findPurchaseDate(['05/03/18 15:02', 'Card expiry 31/05/18'], { today })?.value).toBe('2018-03-05');
  });

  it('prefers the purchase date over an expiry date printed first', () => {
    expect(findPurchaseDate(['Voucher expires 31/12/2026', '15/06/2026 12:01'], { today })?.value).toBe('2026-06-15');
  });

  it('prefers the date on a DATE line over an earlier one', () => {
    expect(findPurchaseDate(['Valid until 01/01/2030', 'Date: 12/06/2019'])?.value).toBe('2019-06-12');
  });
});
