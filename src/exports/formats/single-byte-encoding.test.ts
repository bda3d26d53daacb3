import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cp437UpperHalf, encodeCp437 } from './cp437.js';
import { singleByteEncoder } from './single-byte-encoding.js';
import { encodeWindows1252 } from './windows-1252.js';

const upperBytes = Buffer.from(Array.from({ length: 128 }, (_, index) => 0x80 + index));

describe('Windows-1252', () => {
  it('puts the German letters and the euro sign where DATEV reads them', () => {
    expect([...encodeWindows1252('äöüÄÖÜß€')]).toEqual([0xe4, 0xf6, 0xfc, 0xc4, 0xd6, 0xdc, 0xdf, 0x80]);
  });

  // Node 20's TextDecoder reads "windows-1252" as Latin-1, so glibc's iconv is the reference.
  const defined = Buffer.from([...upperBytes].filter((byte) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(byte)));
  const iconv = spawnSync('iconv', ['-f', 'CP1252', '-t', 'UTF-8'], { input: defined });
  it.skipIf(iconv.status !== 0)('encodes each character iconv decodes from 0x80-0xFF back to its byte', () => {
    expect(encodeWindows1252(iconv.stdout.toString('utf8'))).toEqual(defined);
  });
});

describe('CP437', () => {
  it('puts the Swedish letters where SIE readers expect them', () => {
    expect([...encodeCp437('åäöÅÄÖéü')]).toEqual([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82, 0x81]);
  });

  // glibc's iconv knows CP437; where it is missing the table test above still stands.
  const iconv = spawnSync('iconv', ['-f', 'CP437', '-t', 'UTF-8'], { input: upperBytes });
  it.skipIf(iconv.status !== 0)('has the same upper half as iconv\'s CP437', () => {
    expect(cp437UpperHalf).toBe(iconv.stdout.toString('utf8'));
  });
});

describe('singleByteEncoder', () => {
  const encode = singleByteEncoder(cp437UpperHalf);

  it('passes ASCII through unchanged', () => {
    const ascii = Array.from({ length: 0x80 }, (_, index) => String.fromCharCode(index)).join('');
    expect(encode(ascii)).toEqual(Buffer.from(ascii, 'latin1'));
  });

  it('writes typographic quotes and dashes as plain ones, never as a double quote', () => {
    expect(encode('„a“ ‚b‘ c–d—e … 1 €').toString('latin1')).toBe("'a' 'b' c-d-e ... 1 EUR");
  });

  it('drops accents the code page lacks and writes "?" for what is left', () => {
    expect(encode('Łódź Ő').toString('latin1')).toBe('?\xa2dz O');
    expect(encode('a😀b')).toEqual(Buffer.from('a?b', 'latin1'));
  });

  it('refuses a table that is not 128 characters', () => {
    expect(() => singleByteEncoder('abc')).toThrow(/128 characters, got 3/);
  });
});
