import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../../money/money.js';
import { parseMt940 } from '../mt940.js';
import { writeMt940, type Mt940EntryInput, type Mt940StatementInput } from './mt940-writer.js';

const dayMs = 86_400_000;
const firstDay = Date.UTC(1970, 0, 6);
const lastDay = Date.UTC(2069, 11, 26);
const isoDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

const reference = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/);
const informationLine = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.]{0,63}[A-Za-z0-9]$/);
const minor = fc.bigInt({ min: -(10n ** 11n), max: 10n ** 11n });

const entry = (currency: string): fc.Arbitrary<Mt940EntryInput & { minor: bigint }> =>
  fc.record({
    minor,
    day: fc.integer({ min: firstDay / dayMs, max: lastDay / dayMs }),
    // Entry dates lie days from the value date, across month and year ends.
    bookingOffset: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    typeCode: fc.constantFrom('NTRF', 'NMSC', 'FCHG', 'S103', 'NRTI'),
    customerReference: reference,
    bankReference: fc.option(reference, { nil: null }),
    information: fc.option(fc.array(informationLine, { minLength: 1, maxLength: 6 }), { nil: null }),
  }).map((drawn) => ({
    minor: drawn.minor,
    amount: formatAmount(drawn.minor, currency),
    valueDate: isoDay(drawn.day),
    bookingDate: drawn.bookingOffset === null ? null : isoDay(drawn.day + drawn.bookingOffset),
    typeCode: drawn.typeCode,
    customerReference: drawn.customerReference,
    bankReference: drawn.bankReference,
    information: drawn.information?.join('\n') ?? null,
  }));

const statement: fc.Arbitrary<Mt940StatementInput> = fc
  .constantFrom('EUR', 'JPY', 'KWD', 'CHF')
  .chain((currency) =>
    fc.record({
      reference: fc.stringMatching(/^[A-Z0-9]{1,16}$/),
      sequence: fc.option(fc.stringMatching(/^\d{1,5}\/\d{1,3}$/), { nil: null }),
      account: fc.stringMatching(/^DE\d{20}$/),
      currency: fc.constant(currency),
      openingMinor: minor,
      openingDay: fc.integer({ min: firstDay / dayMs, max: lastDay / dayMs }),
      entries: fc.array(entry(currency), { maxLength: 20 }),
    }),
  )
  .map((drawn) => {
    const closingMinor = drawn.entries.reduce((sum, item) => sum + item.minor, drawn.openingMinor);
    return {
      reference: drawn.reference,
      sequence: drawn.sequence,
      account: drawn.account,
      currency: drawn.currency,
      opening: { amount: formatAmount(drawn.openingMinor, drawn.currency), date: isoDay(drawn.openingDay) },
      closing: { amount: formatAmount(closingMinor, drawn.currency), date: isoDay(drawn.openingDay) },
      entries: drawn.entries.map(({ minor: _minor, ...item }) => item),
    };
  });

const options = fc.record({ lineBreak: fc.constantFrom<'\r\n' | '\n' | '\r'>('\r\n', '\n', '\r'), envelope: fc.boolean() });

describe('MT940 written and read back', () => {
  it('reads back every statement written: ids, balances, entries, references, information', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), options, (written, writeOptions) => {
        const read = parseMt940(writeMt940(written, writeOptions)).statements;
        expect(read).toHaveLength(written.length);
        read.forEach((parsed, index) => {
          const source = written[index]!;
          expect(parsed).toMatchObject({
            id: source.sequence === null ? source.reference : `${source.reference}/${source.sequence}`,
            account: source.account,
            currency: source.currency,
            opening: source.opening,
            closing: source.closing,
            consistent: true,
            inconsistency: null,
          });
          expect(parsed.entries.map((item) => [item.amount, item.valueDate, item.bookingDate, item.typeCode, item.customerReference, item.bankReference, item.information])).toEqual(
            source.entries.map((item) => [item.amount, item.valueDate, item.bookingDate, item.typeCode, item.customerReference, item.bankReference, item.information]),
          );
        });
      }),
    );
  });

  it('marks a written statement whose closing balance is moved by any amount as inconsistent', () => {
    fc.assert(
      fc.property(statement, fc.bigInt({ min: 1n, max: 10n ** 6n }), (written, shift) => {
        const closing = formatAmount(BigInt(written.closing.amount.replace('.', '')) + shift, written.currency);
        const [parsed] = parseMt940(writeMt940([{ ...written, closing: { ...written.closing, amount: closing } }])).statements;
        expect(parsed!.consistent).toBe(false);
        expect(parsed!.inconsistency).toContain(`(a difference of ${formatAmount(shift, written.currency)})`);
      }),
    );
  });

  it('refuses to write what MT940 cannot say', () => {
    const base: Mt940StatementInput = { reference: 'R', sequence: null, account: 'A', currency: 'EUR', opening: { amount: '0.00', date: '2024-01-05' }, closing: { amount: '0.00', date: '2070-01-05' }, entries: [] };
    expect(() => writeMt940([base])).toThrow('2070-01-05 cannot be written as YYMMDD (1970 to 2069)');
    expect(() => writeMt940([{ ...base, closing: base.opening, entries: [{ amount: '1.00', valueDate: '2024-01-05', bookingDate: null, typeCode: 'TRF', customerReference: 'X', bankReference: null, information: null }] }])).toThrow('"TRF" is not an MT940 transaction type');
  });
});
