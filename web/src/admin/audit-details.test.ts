import { describe, expect, it } from 'vitest';
import { detailLines } from './audit-details';

describe('detailLines', () => {
  it.each([
    [{ name: { from: 'Old Co', to: 'New Co' } }, ['name: Old Co → New Co']],
    [{ locale: { to: 'da-DK' } }, ['locale: – → da-DK']],
    [{ roles: ['admin', 'employee'], reason: 'lost' }, ['roles: ["admin","employee"]', 'reason: lost']],
    [{ comment: null }, ['comment: –']],
    [{}, []],
  ])('writes %j as %j', (details, lines) => {
    expect(detailLines(details)).toEqual(lines);
  });

  it('cuts a long value short', () => {
    const [line] = detailLines({ note: 'x'.repeat(200) });
    expect(line).toHaveLength('note: '.length + 80);
    expect(line!.endsWith('…')).toBe(true);
  });
});
