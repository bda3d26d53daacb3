import { describe, expect, it } from 'vitest';
import { formatTransmissionTime, readTransmissionTime } from './transmission-time.js';

const at = (iso: string) => new Date(iso);

describe('field 7, transmission date and time', () => {
  const rows: [string, string, string | null][] = [
    ['1120100000', '2026-11-20T10:00:05Z', '2026-11-20T10:00:00.000Z'],
    // Sent before New Year, read after it (and the other way round): the nearer year wins.
    ['1231235959', '2027-01-01T00:00:10Z', '2026-12-31T23:59:59.000Z'],
    ['0101000005', '2026-12-31T23:59:58Z', '2027-01-01T00:00:05.000Z'],
    // 29 February only exists in leap years: 2028 is the one near 2027's March.
    ['0229120000', '2027-03-01T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['1340100000', '2026-11-20T10:00:00Z', null],
    ['0431100000', '2026-11-20T10:00:00Z', null],
    ['1120240000', '2026-11-20T10:00:00Z', null],
    ['11201000', '2026-11-20T10:00:00Z', null],
  ];

  it.each(rows)('reads %s received at %s as %s', (field, now, expected) => {
    expect(readTransmissionTime(field, at(now))?.toISOString() ?? null).toBe(expected);
  });

  it('writes MMDDhhmmss in UTC', () => {
    expect(formatTransmissionTime(at('2026-03-04T05:06:07+02:00'))).toBe('0304030607');
  });
});
