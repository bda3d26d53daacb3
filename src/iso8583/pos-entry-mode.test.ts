import { describe, expect, it } from 'vitest';
import { channelOf } from './pos-entry-mode.js';

describe('channel from POS entry mode (field 22) and processing code (field 3)', () => {
  const rows: [string | undefined, string, string][] = [
    ['012', '000000', 'online'],
    ['810', '000000', 'online'],
    ['100', '000000', 'online'],
    ['051', '000000', 'in_person'],
    ['021', '000000', 'in_person'],
    ['901', '000000', 'in_person'],
    ['071', '000000', 'contactless'],
    ['911', '000000', 'contactless'],
    ['000', '000000', 'online'],
    [undefined, '000000', 'online'],
    ['051', '010000', 'atm'],
  ];
  it.each(rows)('reads entry mode %s with processing code %s as %s', (mode, processingCode, channel) => {
    expect(channelOf(mode, processingCode)).toBe(channel);
  });
});
