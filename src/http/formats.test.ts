import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { ajvPlugins } from './formats.js';

const ajv = new Ajv.default();
for (const plugin of ajvPlugins) plugin(ajv);
const isDate = ajv.compile({ type: 'string', format: 'date' });
const isDateTime = ajv.compile({ type: 'string', format: 'date-time' });

describe('the date formats', () => {
  it.each([
    ['2024-02-29', true],
    ['0001-01-01', true],
    ['0000-01-01', false],
    ['2023-02-29', false],
    ['2024-13-01', false],
  ])('date %s: %s', (text, expected) => {
    expect(isDate(text)).toBe(expected);
  });

  it.each([
    ['2024-05-01T10:00:00Z', true],
    ['2024-05-01t10:00:00.123+02:00', true],
    ['0001-01-01T00:00:00Z', true],
    ['0000-01-01T00:00:00Z', false],
    // Year 1 by its text, year 0 once taken to UTC.
    ['0001-01-01T00:30:00+01:00', false],
    // RFC 3339 allows a leap second; JavaScript's Date cannot hold one.
    ['2016-12-31T23:59:60Z', false],
    ['2024-02-30T00:00:00Z', false],
  ])('date-time %s: %s', (text, expected) => {
    expect(isDateTime(text)).toBe(expected);
  });
});
