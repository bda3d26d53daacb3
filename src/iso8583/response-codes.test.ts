import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { declineReasons } from '../cards/authorize.js';
import { panEntryChannels } from './pos-entry-mode.js';
import { declineResponseCodes, responseCodes } from './response-codes.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

/** The rows of the README table whose header starts with `firstColumn`. */
function tableRows(firstColumn: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstColumn} |`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

describe('field 39 response codes', () => {
  it('has a code for every decline reason of the engine', () => {
    expect(Object.keys(declineResponseCodes).sort()).toEqual([...declineReasons, 'currency_not_supported', 'issuer_unavailable'].sort());
    const known = new Set<string>(Object.values(responseCodes));
    expect(Object.values(declineResponseCodes).filter((code) => !known.has(code))).toEqual([]);
  });

  it('is documented in README.md exactly as the code maps it', () => {
    const documented = Object.fromEntries(tableRows('Decline reason').map(([reason, code]) => [reason, code]));
    expect(documented).toEqual(declineResponseCodes);
  });

  it('documents the channel of every POS entry mode it maps', () => {
    const documented = new Map<string, string>();
    for (const [modes, , channel] of tableRows('Entry mode')) {
      for (const mode of modes!.split(', ')) if (/^\d{2}$/.test(mode)) documented.set(mode, channel!);
    }
    expect(Object.fromEntries(documented)).toEqual(panEntryChannels);
  });
});
