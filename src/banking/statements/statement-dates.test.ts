import { describe, expect, it } from 'vitest';
import { parseIsoDate, parseSwiftDate, parseSwiftEntryDate } from './statement-dates.js';

describe('SWIFT dates', () => {
  it.each([
    ['700101', '1970-01-01'],
    ['991231', '1999-12-31'],
    ['000229', '2000-02-29'],
    ['240229', '2024-02-29'],
    ['691231', '2069-12-31'],
  ])('reads %s as %s (70-99 are 19xx, 00-69 are 20xx)', (text, date) => {
    expect(parseSwiftDate(text, 'date')).toBe(date);
  });

  it.each([
    ['230229', '2023-02-28'],
    ['230230', '2023-02-28'],
    ['240230', '2024-02-29'],
    ['240431', '2024-04-30'],
  ])('reads %s, a day past the end of its month, as the last day %s and notes it', (text, date) => {
    const noted: string[] = [];
    expect(parseSwiftDate(text, 'value date', (code, message) => noted.push(`${code}: ${message}`))).toBe(date);
    expect(noted).toEqual([`date_not_in_calendar: value date "${text}" is day ${Number(text.slice(4))} of a month of ${Number(date.slice(8))} days; read as ${date}`]);
  });

  it.each(['241301', '240100', '240132', '240000', '24011', '2401011'])('refuses %s', (text) => {
    expect(() => parseSwiftDate(text, 'date')).toThrow(`date "${text}" is not a date (YYMMDD)`);
  });

  it.each([
    ['1229', '2023-12-31', '2023-12-29'],
    ['0102', '2023-12-31', '2024-01-02'],
    ['1230', '2024-01-02', '2023-12-30'],
    ['0229', '2024-03-01', '2024-02-29'],
    ['0105', '2024-01-05', '2024-01-05'],
  ])('puts entry date %s beside value date %s on %s', (text, valueDate, date) => {
    expect(parseSwiftEntryDate(text, valueDate)).toBe(date);
  });

  it('reads an entry date no year near the value date has as the last day of its month, noted', () => {
    const noted: string[] = [];
    expect(parseSwiftEntryDate('0230', '2022-03-01', (code) => noted.push(code))).toBe('2022-02-28');
    expect(noted).toEqual(['date_not_in_calendar']);
  });

  it.each(['1301', '0132', '0100'])('refuses the entry date %s', (text) => {
    expect(() => parseSwiftEntryDate(text, '2022-06-30')).toThrow(`entry date "${text}" is not a date (MMDD)`);
  });
});

describe('ISO 20022 dates', () => {
  it.each([
    ['2014-12-31', '2014-12-31'],
    ['2014-12-31+01:00', '2014-12-31'],
    ['2014-12-31T23:30:00+01:00', '2014-12-31'],
    ['2015-01-02T08:00:00.123Z', '2015-01-02'],
    ['2015-01-02T08:00:00', '2015-01-02'],
  ])('reads %s as the date the bank wrote, %s', (text, date) => {
    expect(parseIsoDate(text, 'date')).toBe(date);
  });

  it.each(['2014-02-30', '31.12.2014', '2014-12-31T25', ''])('refuses "%s"', (text) => {
    expect(() => parseIsoDate(text, 'date')).toThrow(/is not a date/);
  });
});
