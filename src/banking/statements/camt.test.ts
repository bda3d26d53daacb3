import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCamt, type CamtVersion } from './camt.js';
import { xmlDepthMax } from './limits.js';
import { StatementParseError } from './statement-parse-error.js';
import { fixturePath } from '../../test-support/fixtures.js';
import { runTestTool } from '../../test-support/test-tools.js';

const fixtures = `${fixturePath('banking')}/`;
const fixture = (name: string) => readFileSync(path.join(fixtures, 'camt', name), 'utf8');

function failure(xml: string): StatementParseError {
  try {
    parseCamt(xml);
  } catch (error) {
    if (error instanceof StatementParseError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('camt.053 fixtures', () => {
  it('reads the 001.02 minimal statement and marks its closing balance in SEK as inconsistent', () => {
    const [statement, ...more] = parseCamt(fixture('camt053.v2.minimal.xml')).statements;
    expect(more).toHaveLength(0);
    expect(statement).toMatchObject({
      id: '253EURNL26VAYB8060476890/12312',
      account: 'NL26VAYB8060476890',
      currency: 'EUR',
      opening: { amount: '18.15', date: '2014-12-30' },
      closing: { amount: '-27.00', date: '2014-12-31' },
      consistent: false,
      // Acct/Ccy is EUR, CLBD is "27.00" SEK and DBIT: the file's test values, not a real
      // statement. OPAV (CHF) and CLAV (JPY) are available balances, which are not checked.
      inconsistency: 'the closing balance (CLBD) -27.00 is in SEK, the account in EUR',
    });
    expect(statement!.entries).toEqual([
      {
        amount: '8.85',
        currency: 'EUR',
        bookingDate: '2014-12-31',
        valueDate: '2015-01-02',
        bankReference: null,
        customerReference: null,
        endToEndId: null,
        remittanceInformation: '4654654654654654',
        counterparty: { name: 'NAME NAME', iban: 'NL56AGDH9619008421', bic: null },
        typeCode: '544',
        information: null,
      },
    ]);
  });

  it('reads both statements of the multi-statement file, each adding up', () => {
    const { statements } = parseCamt(fixture('camt053.v2.multi.statement.xml'));
    expect(statements.map((statement) => [statement.id, statement.opening?.amount, statement.entries.map((entry) => entry.amount), statement.closing?.amount, statement.consistent])).toEqual([
      ['253EURNL26VAYB8060476890/12312', '18.15', ['8.85'], '27.00', true],
      ['254EURNL26VAYB8060476890', '27.00', ['-7.00'], '20.00', true],
    ]);
    expect(statements[0]!.entries[0]).toMatchObject({ endToEndId: '000000001', remittanceInformation: 'Transaction Description 1' });
    // A debit went to the creditor; the credit in statement 1 names only a creditor (the
    // account owner), so it has no counterparty.
    expect(statements[1]!.entries[0]!.counterparty).toEqual({ name: 'Company Name 2', iban: 'NL56AGDH9619008421', bic: null });
    expect(statements[0]!.entries[0]!.counterparty).toBeNull();
  });

  it('refuses the wrong file: BkToCstmrStmt without any Stmt (the schema requires one)', () => {
    expect(failure(fixture('camt053.v2.wrong.xml')).message).toBe('Document/BkToCstmrStmt: has no Stmt; a camt.053 message holds at least one statement');
  });

  it('reads 001.04: account in Othr/Id, ISO bank transaction code, servicer reference', () => {
    const [statement] = parseCamt(fixture('camt053.v4.xml')).statements;
    expect(statement).toMatchObject({ account: 'NL26VAYB8060476890', currency: 'EUR', consistent: false, inconsistency: 'the closing balance (CLBD) -27.00 is in SEK, the account in EUR' });
    expect(statement!.entries[0]).toMatchObject({ amount: '8.85', bankReference: 'AAAASESS-FP-CN_98765/01', typeCode: 'PAYM-0001-0005', remittanceInformation: '4654654654654654' });
  });
});

interface Party {
  name: string;
  iban: string;
  bic: string;
}

interface GeneratedEntry {
  amount: string;
  credit: boolean;
  status: 'BOOK' | 'PDNG';
  reversal?: boolean;
  booking: { Dt: string } | { DtTm: string };
  value: string;
  bankReference: string;
  endToEndId: string;
  instructionId?: string;
  debtor: Party;
  creditor: Party;
  remittance: string[];
  creditorReference?: string;
}

interface GeneratedStatement {
  id: string;
  sequence: number;
  iban: string;
  currency: string;
  opening: { amount: string; credit: boolean; date: string };
  closing: { amount: string; credit: boolean; date: string };
  entries: GeneratedEntry[];
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const indicator = (credit: boolean) => (credit ? 'CRDT' : 'DBIT');

/** A camt.053 document in the given version, with the elements where the versions differ
 * written as each schema wants them. */
function camt053(version: CamtVersion, statement: GeneratedStatement): string {
  const party = (role: 'Dbtr' | 'Cdtr', who: Party) =>
    version === '001.08' ? `<${role}><Pty><Nm>${escapeXml(who.name)}</Nm></Pty></${role}><${role}Acct><Id><IBAN>${who.iban}</IBAN></Id></${role}Acct>` : `<${role}><Nm>${escapeXml(who.name)}</Nm></${role}><${role}Acct><Id><IBAN>${who.iban}</IBAN></Id></${role}Acct>`;
  const agent = (role: 'DbtrAgt' | 'CdtrAgt', who: Party) => `<${role}><FinInstnId><${version === '001.02' ? 'BIC' : 'BICFI'}>${who.bic}</${version === '001.02' ? 'BIC' : 'BICFI'}></FinInstnId></${role}>`;
  const status = (code: string) => (version === '001.08' ? `<Sts><Cd>${code}</Cd></Sts>` : `<Sts>${code}</Sts>`);
  const balance = (code: string, figure: GeneratedStatement['opening']) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${statement.currency}">${figure.amount}</Amt><CdtDbtInd>${indicator(figure.credit)}</CdtDbtInd><Dt><Dt>${figure.date}</Dt></Dt></Bal>`;
  const entry = (item: GeneratedEntry) => {
    const booking = 'Dt' in item.booking ? `<Dt>${item.booking.Dt}</Dt>` : `<DtTm>${item.booking.DtTm}</DtTm>`;
    const remittance = item.remittance.map((line) => `<Ustrd>${escapeXml(line)}</Ustrd>`).join('') + (item.creditorReference ? `<Strd><CdtrRefInf><Ref>${item.creditorReference}</Ref></CdtrRefInf></Strd>` : '');
    return (
      `<Ntry><Amt Ccy="${statement.currency}">${item.amount}</Amt><CdtDbtInd>${indicator(item.credit)}</CdtDbtInd>${item.reversal ? '<RvslInd>true</RvslInd>' : ''}${status(item.status)}` +
      `<BookgDt>${booking}</BookgDt><ValDt><Dt>${item.value}</Dt></ValDt><AcctSvcrRef>${item.bankReference}</AcctSvcrRef>` +
      `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${item.credit ? 'RCDT' : 'ICDT'}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>` +
      `<NtryDtls><TxDtls><Refs>${item.instructionId ? `<InstrId>${item.instructionId}</InstrId>` : ''}<EndToEndId>${item.endToEndId}</EndToEndId></Refs>` +
      // 001.04 requires the transaction's own amount, 001.08 allows it, 001.02 has none.
      (version === '001.02' ? '' : `<Amt Ccy="${statement.currency}">${item.amount}</Amt><CdtDbtInd>${indicator(item.credit)}</CdtDbtInd>`) +
      `<RltdPties>${party('Dbtr', item.debtor)}${party('Cdtr', item.creditor)}</RltdPties><RltdAgts>${agent('DbtrAgt', item.debtor)}${agent('CdtrAgt', item.creditor)}</RltdAgts>` +
      `<RmtInf>${remittance}</RmtInf></TxDtls></NtryDtls></Ntry>`
    );
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.${version}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
    '<BkToCstmrStmt><GrpHdr><MsgId>OUTLAY-TEST-1</MsgId><CreDtTm>2024-01-06T06:00:00+01:00</CreDtTm></GrpHdr>',
    `<Stmt><Id>${statement.id}</Id><ElctrncSeqNb>${statement.sequence}</ElctrncSeqNb><CreDtTm>2024-01-06T06:00:00+01:00</CreDtTm>`,
    `<Acct><Id><IBAN>${statement.iban}</IBAN></Id><Ccy>${statement.currency}</Ccy></Acct>`,
    balance('OPBD', statement.opening),
    balance('CLBD', statement.closing),
    ...statement.entries.map(entry),
    '</Stmt></BkToCstmrStmt></Document>',
  ].join('\n');
}

const company: Party = { name: 'Outlay Customer GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' };
const acme: Party = { name: 'ACME Handels & Co. KG', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' };
const supplier: Party = { name: 'Supplier SARL', iban: 'FR1420041010050500013M02606', bic: 'PSSTFRPPXXX' };

const generated: GeneratedStatement = {
  id: 'STMT-2024-001',
  sequence: 7,
  iban: company.iban,
  currency: 'EUR',
  opening: { amount: '1000.00', credit: true, date: '2024-01-04' },
  closing: { amount: '3369.50', credit: true, date: '2024-01-05' },
  entries: [
    // A wallet top-up: money from ACME, the debtor.
    { amount: '2500.00', credit: true, status: 'BOOK', booking: { DtTm: '2024-01-05T23:30:00+01:00' }, value: '2024-01-05', bankReference: 'BANK-REF-1', endToEndId: 'TOPUP-ACME-7', debtor: acme, creditor: company, remittance: ['Wallet top-up', 'January'], creditorReference: 'RF18539007547034' },
    // A transfer to the supplier.
    { amount: '250.50', credit: false, status: 'BOOK', booking: { Dt: '2024-01-05' }, value: '2024-01-05', bankReference: 'BANK-REF-2', endToEndId: 'PAY-42', instructionId: 'INSTR-42', debtor: company, creditor: supplier, remittance: ['Invoice 42'] },
    // That transfer came back: a credit, reversed, whose other side is the creditor.
    { amount: '120.00', credit: true, status: 'BOOK', reversal: true, booking: { Dt: '2024-01-05' }, value: '2024-01-05', bankReference: 'BANK-REF-3', endToEndId: 'PAY-41', debtor: company, creditor: supplier, remittance: ['Return of PAY-41'] },
    // Not booked yet: not part of the statement's entries or balance.
    { amount: '999.00', credit: true, status: 'PDNG', booking: { Dt: '2024-01-06' }, value: '2024-01-06', bankReference: 'BANK-REF-4', endToEndId: 'PENDING-1', debtor: acme, creditor: company, remittance: ['later'] },
  ],
};

const workDir = mkdtempSync(path.join(tmpdir(), 'outlay-camt-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** xmllint's complaints about the document against the ISO 20022 schema of the version, or null. */
function schemaErrors(version: CamtVersion, xml: string): string | null {
  const file = path.join(workDir, `camt.053.${version}.xml`);
  writeFileSync(file, xml);
  const run = runTestTool('xmllint', ['--noout', '--schema', path.join(fixtures, 'xsd', `camt.053.${version}.xsd`), file]);
  return run.status === 0 ? null : run.stderr;
}

describe('generated camt.053 documents, valid against the ISO 20022 schemas', () => {
  it.each<CamtVersion>(['001.08', '001.04', '001.02'])('reads a schema-valid %s statement', (version) => {
    const xml = camt053(version, generated);
    expect(schemaErrors(version, xml)).toBeNull();
    const [statement] = parseCamt(xml).statements;
    expect(statement).toMatchObject({
      id: 'STMT-2024-001/7',
      account: 'DE89370400440532013000',
      currency: 'EUR',
      opening: { amount: '1000.00', date: '2024-01-04' },
      closing: { amount: '3369.50', date: '2024-01-05' },
      consistent: true,
      inconsistency: null,
    });
    expect(statement!.entries).toHaveLength(3);
    expect(statement!.entries[0]).toEqual({
      amount: '2500.00',
      currency: 'EUR',
      bookingDate: '2024-01-05',
      valueDate: '2024-01-05',
      bankReference: 'BANK-REF-1',
      customerReference: null,
      endToEndId: 'TOPUP-ACME-7',
      remittanceInformation: 'Wallet top-up January RF18539007547034',
      counterparty: { name: 'ACME Handels & Co. KG', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
      typeCode: 'PMNT-RCDT-ESCT',
      information: null,
    });
    expect(statement!.entries[1]).toMatchObject({ amount: '-250.50', customerReference: 'INSTR-42', counterparty: { name: 'Supplier SARL', bic: 'PSSTFRPPXXX' }, typeCode: 'PMNT-ICDT-ESCT' });
    expect(statement!.entries[2]).toMatchObject({ amount: '120.00', endToEndId: 'PAY-41', counterparty: { name: 'Supplier SARL', iban: 'FR1420041010050500013M02606' } });
  });

  it('marks a schema-valid statement whose closing balance is off as inconsistent, with the figures', () => {
    const xml = camt053('001.08', { ...generated, closing: { amount: '3369.05', credit: true, date: '2024-01-05' } });
    expect(schemaErrors('001.08', xml)).toBeNull();
    expect(parseCamt(xml).statements[0]).toMatchObject({
      consistent: false,
      inconsistency: 'the opening balance (OPBD) 1000.00 plus the 3 entries (2369.50) is 3369.50, but the closing balance (CLBD) is 3369.05 (a difference of -0.45)',
    });
  });

  it('shows that the schema check can fail: Sts as text is invalid in 001.08', () => {
    const xml = camt053('001.08', generated).replace('<Sts><Cd>BOOK</Cd></Sts>', '<Sts>BOOK</Sts>');
    expect(schemaErrors('001.08', xml)).toMatch(/Sts/);
    // Banks send it anyway; the amount is unaffected, so it is read.
    expect(parseCamt(xml).statements[0]!.entries).toHaveLength(3);
  });
});

describe('camt.052 and camt.054, the same entries in other messages', () => {
  /** The generated statement as a camt.054 notification: other element names, no balances. */
  function asNotification(xml: string, version: CamtVersion): string {
    return xml
      .replace(`camt.053.${version}`, `camt.054.${version}`)
      .replaceAll('BkToCstmrStmt>', 'BkToCstmrDbtCdtNtfctn>')
      .replaceAll('<Stmt>', '<Ntfctn>')
      .replaceAll('</Stmt>', '</Ntfctn>')
      .replace(/<Bal>.*?<\/Bal>/g, '');
  }

  it('reads a camt.054.001.02 notification valid against its schema, without balances', () => {
    const xml = asNotification(camt053('001.02', generated), '001.02');
    const file = path.join(workDir, 'camt.054.001.02.xml');
    writeFileSync(file, xml);
    const run = runTestTool('xmllint', ['--noout', '--schema', path.join(fixtures, 'xsd', 'camt.054.001.02.xsd'), file]);
    expect(run.stderr).toMatch(/validates$/m);
    const parsed = parseCamt(xml);
    expect(parsed.format).toBe('camt.054');
    expect(parsed.statements[0]).toMatchObject({ id: 'STMT-2024-001/7', account: 'DE89370400440532013000', opening: null, closing: null, consistent: true });
    expect(parsed.statements[0]!.entries.map((entry) => entry.amount)).toEqual(['2500.00', '-250.50', '120.00']);
  });

  it('reads a camt.052.001.13 report: the newest version, Sts as a code', () => {
    const xml = camt053('001.08', generated)
      .replace('camt.053.001.08', 'camt.052.001.13')
      .replaceAll('BkToCstmrStmt>', 'BkToCstmrAcctRpt>')
      .replaceAll('<Stmt>', '<Rpt>')
      .replaceAll('</Stmt>', '</Rpt>');
    const parsed = parseCamt(xml);
    expect(parsed.format).toBe('camt.052');
    expect(parsed.statements[0]).toMatchObject({ opening: { amount: '1000.00' }, closing: { amount: '3369.50' }, consistent: true });
  });

  it('notes an entry that is not booked, with its path, and leaves it out', () => {
    const parsed = parseCamt(camt053('001.08', generated));
    expect(parsed.statements[0]!.entries).toHaveLength(3);
    expect(parsed.warnings).toEqual([
      { code: 'entry_not_booked', line: null, path: 'Document/BkToCstmrStmt/Stmt/Ntry[4]', message: 'the entry of 999.00 EUR has status PDNG, not BOOK; it is not read as an entry' },
    ]);
  });
});

describe('camt.053 refusals name the statement and the element', () => {
  const xml = camt053('001.08', generated);

  it.each([
    ['<Amt Ccy="EUR">2500.00</Amt>', '<Amt Ccy="EUR">2500.0x</Amt>', 'Ntry[1]/Amt: amount "2500.0x" is not a decimal (digits with a decimal point, at most 18 digits, no sign)'],
    ['<Amt Ccy="EUR">250.50</Amt>', '<Amt Ccy="EUR">250.505</Amt>', 'Ntry[2]/Amt: amount "250.505" has 3 decimals, but EUR has 2'],
    ['<Amt Ccy="EUR">250.50</Amt>', '<Amt Ccy="EUR">-250.50</Amt>', 'Ntry[2]/Amt: amount "-250.50" is not a decimal (digits with a decimal point, at most 18 digits, no sign)'],
    ['<Amt Ccy="EUR">250.50</Amt>', '<Amt>250.50</Amt>', 'Ntry[2]/Amt: currency null is not an ISO 4217 code'],
    ['<CdtDbtInd>DBIT</CdtDbtInd>', '<CdtDbtInd>DEBIT</CdtDbtInd>', 'Ntry[2]/CdtDbtInd: "DEBIT" is not CRDT or DBIT'],
    ['<RvslInd>true</RvslInd>', '<RvslInd>yes</RvslInd>', 'Ntry[3]/RvslInd: "yes" is not true or false'],
    ['<DtTm>2024-01-05T23:30:00+01:00</DtTm>', '<DtTm>2024-01-32T23:30:00+01:00</DtTm>', 'Ntry[1]/BookgDt/DtTm: date "2024-01-32T23:30:00+01:00" is not a date (YYYY-MM-DD or an ISO date-time)'],
    ['<Sts><Cd>BOOK</Cd></Sts>', '', 'Ntry[1]: Sts is missing'],
  ])('refuses %s changed to %s', (from, to, detail) => {
    expect(failure(xml.replace(from, to)).message).toBe(`statement 1 (Id STMT-2024-001), Document/BkToCstmrStmt/Stmt/${detail}`);
  });

  it('refuses a statement without Id or account', () => {
    expect(failure(xml.replace('<Id>STMT-2024-001</Id>', '')).message).toBe('statement 1, Document/BkToCstmrStmt/Stmt/Id: is missing');
    expect(failure(xml.replace(/<Acct>.*<\/Acct>/, '')).message).toBe('statement 1 (Id STMT-2024-001), Document/BkToCstmrStmt/Stmt: Acct/Id is missing');
  });

  it('refuses a second opening balance of the same type', () => {
    const opening = /<Bal><Tp><CdOrPrtry><Cd>OPBD<\/Cd>.*?<\/Bal>/.exec(xml)![0];
    expect(failure(xml.replace(opening, opening + opening)).message).toBe('statement 1 (Id STMT-2024-001), Document/BkToCstmrStmt/Stmt: has 2 balances of type OPBD');
  });

  it('refuses other namespaces and versions it has not been written for', () => {
    expect(failure(xml.replace('camt.053.001.08', 'camt.053.001.01')).message).toBe('Document: camt.053 version 001.01 is not supported; Outlay reads 001.02 to 001.13');
    expect(failure(xml.replace('camt.053.001.08', 'camt.053.001.14')).message).toBe('Document: camt.053 version 001.14 is not supported; Outlay reads 001.02 to 001.13');
    expect(failure(xml.replace('camt.053.001.08', 'camt.056.001.08')).message).toBe(
      'Document: namespace "urn:iso:std:iso:20022:tech:xsd:camt.056.001.08" is not camt.052, camt.053 or camt.054 (urn:iso:std:iso:20022:tech:xsd:camt.05X.001.NN)',
    );
    expect(failure(xml.replace('camt.053.001.08', 'camt.052.001.08')).message).toBe('Document: has 0 BkToCstmrAcctRpt elements; camt.052 has exactly one');
    expect(failure('<Statement/>').message).toBe('Statement: the root element is not Document, so this is not an ISO 20022 message');
  });

  it('reads a namespace bound to a prefix', () => {
    const prefixed = xml.replace('xmlns="urn', 'xmlns:c="urn').replace(/<(\/?)([A-Z][A-Za-z]*)/g, '<$1c:$2');
    expect(parseCamt(prefixed).statements[0]!.entries).toHaveLength(3);
  });
});

describe('camt.053 XML safety', () => {
  it('refuses a DOCTYPE with entity definitions (no expansion, no billion laughs)', () => {
    const bomb = '<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&b;</BkToCstmrStmt></Document>';
    expect(failure(bomb).message).toBe('line 2: the document has a DOCTYPE or entity declaration, which bank statements never need; it is refused');
  });

  it('refuses an external entity', () => {
    const external = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>';
    expect(failure(external).message).toMatch(/^line 1: the document has a DOCTYPE/);
  });

  it('refuses XML that is not well-formed, naming the line', () => {
    const broken = camt053('001.08', generated).replace('</AcctSvcrRef>', '</AcctSvcrRf>');
    expect(failure(broken).message).toMatch(/^line 8: the XML is not well-formed: Expected closing tag 'AcctSvcrRef'/);
  });

  it(`refuses elements nested deeper than ${xmlDepthMax}`, () => {
    const deep = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</Document>`;
    expect(failure(deep).message).toBe(`line 1: elements nest deeper than ${xmlDepthMax} levels`);
  });

  it('refuses unclosed comments as malformed XML before it scans the document', () => {
    const comments = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">${'<!--'.repeat(200_000)}</Document>`;
    expect(failure(comments).message).toMatch(/^line 1: the XML is not well-formed: /);
  });

  it('refuses a processing instruction left open inside the declaration as malformed XML (found by verify:fuzz)', () => {
    const openDeclaration = '<?xml version="1.0<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>';
    expect(failure(openDeclaration).message).toMatch(/^the XML is not well-formed: /);
  });

  it('decodes the predefined entities and character references, and refuses undefined ones', () => {
    const named = camt053('001.08', generated).replace('ACME Handels &amp; Co. KG', 'M&#xFC;ller &amp; S&#246;hne &lt;GmbH&gt;');
    expect(parseCamt(named).statements[0]!.entries[0]!.counterparty?.name).toBe('Müller & Söhne <GmbH>');
    const undefinedEntity = camt053('001.08', generated).replace('ACME Handels &amp; Co. KG', 'ACME &nbsp;');
    expect(failure(undefinedEntity).message).toMatch(/&nbsp; is not an XML character reference or predefined entity$/);
  });
});
