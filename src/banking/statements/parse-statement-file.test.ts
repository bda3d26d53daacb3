import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statementFileBytesMax } from './limits.js';
import { detectStatementFormat, parseStatementFile, parseStatementPath } from './parse-statement-file.js';
import { StatementParseError } from './statement-parse-error.js';

const mt940 = ':20:STMT\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C240105EUR0,\r\n:61:240105C10,00NTRFNONREF\r\n:86:?20Kunde M\xfcller\r\n:62F:C240105EUR10,\r\n-';
const camt = '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>1</MsgId><CreDtTm>2024-01-05T00:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-01-05</Dt></Dt></Bal><Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BkTxCd/><NtryDtls><TxDtls><RmtInf><Ustrd>Kunde M\u00fcller</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>';

const latin1 = (text: string) => Uint8Array.from(text, (character) => character.charCodeAt(0));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseStatementFile', () => {
  it.each([
    ['MT940 with a field first', utf8(mt940), 'mt940'],
    ['MT940 in a SWIFT envelope', utf8(`{1:F01DEUTDEFFAXXX0000000000}{2:O940}{4:\r\n${mt940}}`), 'mt940'],
    ['MT940 after a bank preamble', utf8(`ABNANL2A\r\n940\r\nABNANL2A\r\n${mt940}`), 'mt940'],
    ['camt.053', utf8(camt), 'camt'],
    ['camt.053 with a byte order mark and blank lines', utf8(`\uFEFF\n\n${camt}`), 'camt'],
    ['a CSV export', utf8('Date;Amount\n2024-01-05;10,00'), null],
  ])('recognises %s by its content', (_case, bytes, format) => {
    expect(detectStatementFormat(bytes)).toBe(format);
  });

  it('reads MT940 in UTF-8 and in ISO-8859-1 alike', () => {
    const fromUtf8 = parseStatementFile(utf8(mt940));
    const fromLatin1 = parseStatementFile(latin1(mt940));
    expect(fromUtf8.statements[0]!.entries[0]!.remittanceInformation).toBe('Kunde Müller');
    expect(fromLatin1.statements).toEqual(fromUtf8.statements);
    expect(fromUtf8.warnings).toEqual([]);
    expect(fromLatin1.warnings).toEqual([{ code: 'character_set_windows_1252', line: null, path: null, message: 'the file is not UTF-8; it was read as Windows-1252 (Latin-1), so letters beyond ASCII may differ from what the bank meant' }]);
  });

  it('reads camt.053 declared as ISO-8859-1', () => {
    const declared = camt.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    expect(parseStatementFile(latin1(declared)).statements[0]!.entries[0]!.remittanceInformation).toBe('Kunde Müller');
  });

  it('refuses camt.053 declared as UTF-8 that is not, and encodings it does not know', () => {
    expect(() => parseStatementFile(latin1(camt))).toThrow('the XML is declared (or defaults to) UTF-8 but is not valid UTF-8');
    expect(() => parseStatementFile(utf8(camt.replace('UTF-8', 'UTF-16')))).toThrow('the XML encoding "utf-16" is not supported (UTF-8 or ISO-8859-1)');
  });

  it('accepts text as well as bytes', () => {
    expect(parseStatementFile(camt).format).toBe('camt.053');
  });

  it('refuses a file that is neither format, saying how it starts', () => {
    expect(() => parseStatementFile('Date;Amount\n2024-01-05;10,00')).toThrow(new StatementParseError({}, 'the file is neither MT940/MT942 nor camt XML (it starts with "Date;Amount\\n2024-01-")'));
  });

  it(`refuses a file larger than ${statementFileBytesMax} bytes before reading it`, () => {
    const big = new Uint8Array(statementFileBytesMax + 1).fill(0x20);
    expect(() => parseStatementFile(big)).toThrow(`the file is ${statementFileBytesMax + 1} bytes; the limit is ${statementFileBytesMax}`);
  });

  describe('from a path', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'outlay-statements-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    it('reads the file', async () => {
      const file = path.join(directory, 'statement.sta');
      writeFileSync(file, mt940);
      expect((await parseStatementPath(file)).statements[0]!.closing).toEqual({ amount: '10.00', date: '2024-01-05' });
    });

    it('lets a missing file fail as the file system says (ENOENT)', async () => {
      await expect(parseStatementPath(path.join(directory, 'missing.sta'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
