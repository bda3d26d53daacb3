import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreditTransferOrder } from '../exports/export-model.js';
import { parseAmount } from '../money/money.js';
import {
  CreditTransferOrderError,
  InvalidIbanError,
  pain001Namespace,
  sepaNameCharsMax,
  sepaRemittanceCharsMax,
  sepaText,
  transfersPerFileMax,
  writePain001,
} from './pain001.js';
import { fixturePath } from '../test-support/fixtures.js';
import { runTestTool } from '../test-support/test-tools.js';

type Transfer = CreditTransferOrder['transfers'][number];

function testTransfer(overrides: Partial<Transfer> = {}): Transfer {
  return {
    endToEndId: 'PAYOUT-1-EXP-1',
    amount: 12_50n,
    creditor: { name: 'Emma Nørgaard', iban: 'DK5000400440116243', bic: null },
    remittance: 'Outlay reimbursement March 2024',
    ...overrides,
  };
}

function testOrder(overrides: Partial<CreditTransferOrder> = {}): CreditTransferOrder {
  return {
    messageId: 'OUTLAY-PAYOUT-2024-03-1',
    createdAt: new Date('2024-04-02T09:15:30.123Z'),
    executionDate: '2024-04-03',
    currency: 'EUR',
    debtor: { name: 'Nordlicht Möbel GmbH', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' },
    transfers: [testTransfer()],
    ...overrides,
  };
}

/** A payout batch: creditors from four countries, with and without BIC, names the SEPA set
 * lacks, one remittance over the limit. */
function realisticOrder(): CreditTransferOrder {
  return testOrder({
    transfers: [
      testTransfer({ endToEndId: 'PAYOUT-7-1', amount: 24_800n, creditor: { name: 'Åsa Öberg', iban: 'SE4550000000058398257466', bic: 'NDEASESS' }, remittance: 'Scandic Malmö, 2 Nächte' }),
      testTransfer({ endToEndId: 'PAYOUT-7-2', amount: 5_950n, creditor: { name: 'Jürgen Weiß', iban: 'de89370400440532013000', bic: null }, remittance: 'Deutsche Bahn Köln–Hamburg & zurück' }),
      testTransfer({ endToEndId: 'PAYOUT-7-3', amount: 10n, creditor: { name: 'Émile Zoë Dubois', iban: 'FR1420041010050500013M02606', bic: null }, remittance: 'x'.repeat(200) }),
      testTransfer({ endToEndId: 'PAYOUT-7-4', amount: 20n, creditor: { name: 'Bram de Vries', iban: 'NL91 ABNA 0417 1643 00', bic: 'abnanl2a' }, remittance: '' }),
    ],
  });
}

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'CdtTrfTxInf' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function read(order: CreditTransferOrder): any {
  return parser.parse(writePain001(order).toString('utf8')).Document;
}

describe('writePain001: the document', () => {
  it('is pain.001.001.03 in UTF-8 with the group header and one payment information block', () => {
    const xml = writePain001(testOrder()).toString('utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const document = read(testOrder());
    expect(document['@xmlns']).toBe(pain001Namespace);
    expect(pain001Namespace).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
    const { GrpHdr, PmtInf } = document.CstmrCdtTrfInitn;
    expect(GrpHdr).toEqual({ MsgId: 'OUTLAY-PAYOUT-2024-03-1', CreDtTm: '2024-04-02T09:15:30Z', NbOfTxs: '1', CtrlSum: '12.50', InitgPty: { Nm: 'Nordlicht Moebel GmbH' } });
    expect(PmtInf).toMatchObject({
      PmtInfId: 'OUTLAY-PAYOUT-2024-03-1',
      PmtMtd: 'TRF',
      BtchBookg: 'true',
      NbOfTxs: '1',
      CtrlSum: '12.50',
      PmtTpInf: { SvcLvl: { Cd: 'SEPA' } },
      ReqdExctnDt: '2024-04-03',
      Dbtr: { Nm: 'Nordlicht Moebel GmbH' },
      DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' } },
      DbtrAgt: { FinInstnId: { BIC: 'COBADEFFXXX' } },
      ChrgBr: 'SLEV',
    });
  });

  it('writes each transfer with its id, amount, creditor, account and remittance', () => {
    const [transfer] = read(testOrder()).CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    expect(transfer).toEqual({
      PmtId: { EndToEndId: 'PAYOUT-1-EXP-1' },
      Amt: { InstdAmt: { '@Ccy': 'EUR', '#text': '12.50' } },
      Cdtr: { Nm: 'Emma Noergaard' },
      CdtrAcct: { Id: { IBAN: 'DK5000400440116243' } },
      RmtInf: { Ustrd: 'Outlay reimbursement March 2024' },
    });
  });

  it('names the creditor agent only when a BIC is known, and writes NOTPROVIDED for a debtor without one', () => {
    const transfers = read(realisticOrder()).CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    expect(transfers.map((t: { CdtrAgt?: unknown }) => t.CdtrAgt ?? null)).toEqual([{ FinInstnId: { BIC: 'NDEASESS' } }, null, null, { FinInstnId: { BIC: 'ABNANL2A' } }]);
    const withoutBic = read(testOrder({ debtor: { ...testOrder().debtor, bic: null } }));
    expect(withoutBic.CstmrCdtTrfInitn.PmtInf.DbtrAgt).toEqual({ FinInstnId: { Othr: { Id: 'NOTPROVIDED' } } });
  });

  it('writes IBANs in electronic format and leaves out an empty remittance', () => {
    const transfers = read(realisticOrder()).CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    expect(transfers.map((t: { CdtrAcct: { Id: { IBAN: string } } }) => t.CdtrAcct.Id.IBAN)).toEqual([
      'SE4550000000058398257466', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'NL91ABNA0417164300',
    ]);
    expect(transfers[3].RmtInf).toBeUndefined();
  });
});

describe('writePain001: counts and control sums', () => {
  const sums: { name: string; amounts: bigint[]; expected: string }[] = [
    { name: 'one cent', amounts: [1n], expected: '0.01' },
    { name: 'amounts a float would not add exactly', amounts: [10n, 20n], expected: '0.30' },
    { name: 'a realistic batch', amounts: [24_800n, 5_950n, 10n, 20n], expected: '307.80' },
    { name: 'the largest single transfer twice', amounts: [99_999_999_999n, 99_999_999_999n], expected: '1999999999.98' },
  ];
  for (const { name, amounts, expected } of sums) {
    it(`writes NbOfTxs and CtrlSum as the exact decimal sum: ${name}`, () => {
      const order = testOrder({ transfers: amounts.map((amount, index) => testTransfer({ endToEndId: `E2E-${index}`, amount })) });
      const { GrpHdr, PmtInf } = read(order).CstmrCdtTrfInitn;
      for (const block of [GrpHdr, PmtInf]) {
        expect(block.NbOfTxs).toBe(String(amounts.length));
        expect(block.CtrlSum).toBe(expected);
      }
      const instructed = PmtInf.CdtTrfTxInf.map((t: { Amt: { InstdAmt: { '#text': string } } }) => parseAmount(t.Amt.InstdAmt['#text'], 'EUR'));
      expect(instructed).toEqual(amounts);
      expect(parseAmount(GrpHdr.CtrlSum, 'EUR')).toBe(amounts.reduce((sum, amount) => sum + amount, 0n));
    });
  }

  it(`accepts ${transfersPerFileMax} transfers and refuses one more`, () => {
    const transfers = Array.from({ length: transfersPerFileMax }, (_, index) => testTransfer({ endToEndId: `E2E-${index}`, amount: 1n }));
    expect(read(testOrder({ transfers })).CstmrCdtTrfInitn.GrpHdr).toMatchObject({ NbOfTxs: '10000', CtrlSum: '100.00' });
    const tooMany = [...transfers, testTransfer({ endToEndId: 'E2E-ONE-MORE' })];
    expect(() => writePain001(testOrder({ transfers: tooMany }))).toThrow(/a file holds 1 to 10000 transfers, this order has 10001/);
  });
});

describe('writePain001: the SEPA character set', () => {
  const cases: [string, string][] = [
    ['Jürgen Weiß', 'Juergen Weiss'],
    ['Åsa Öberg', 'Aasa Oeberg'],
    ['Emma Nørgaard', 'Emma Noergaard'],
    ['Ærø Ÿvonne', 'Aeroe Yvonne'],
    ['Émile Zoë Dubois-Çelik', 'Emile Zoe Dubois-Celik'],
    ['Łódź ŞİŞLİ', 'Lodz SISLI'],
    ['Müller & Söhne „Möbel“', "Mueller + Soehne 'Moebel'"],
    ['100 € Reise; Nr. #7 @home_office', '100 . Reise. Nr. .7 .home.office'],
    ['two\tspaced\r\nlines  here', 'two spaced lines here'],
    ['漢字', '..'],
    ["A-Z a-z 0-9 / - ? : ( ) . , ' +", "A-Z a-z 0-9 / - ? : ( ) . , ' +"],
  ];
  for (const [text, expected] of cases) {
    it(`writes ${JSON.stringify(text)} as ${JSON.stringify(expected)}`, () => {
      expect(sepaText(text, 140)).toBe(expected);
      expect(expected).toMatch(/^[A-Za-z0-9/\-?:().,'+ ]*$/);
    });
  }

  it('cuts names to 70 and remittance to 140 characters after spelling them out', () => {
    const order = testOrder({ transfers: [testTransfer({ creditor: { name: 'Ä'.repeat(40), iban: 'DK5000400440116243', bic: null }, remittance: 'ü '.repeat(100) })] });
    const [transfer] = read(order).CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    expect(transfer.Cdtr.Nm).toBe('Ae'.repeat(35));
    expect(transfer.Cdtr.Nm).toHaveLength(sepaNameCharsMax);
    expect(transfer.RmtInf.Ustrd.length).toBeLessThanOrEqual(sepaRemittanceCharsMax);
    expect(transfer.RmtInf.Ustrd).toBe('ue '.repeat(47).slice(0, 140).trimEnd());
  });
});

describe('writePain001: refusals', () => {
  it('refuses an IBAN whose check digits are wrong with InvalidIbanError naming the field', () => {
    const order = testOrder({ transfers: [testTransfer(), testTransfer({ endToEndId: 'E2E-2', creditor: { name: 'Jürgen', iban: 'DE89370400440532013001', bic: null } })] });
    expect(() => writePain001(order)).toThrow(InvalidIbanError);
    try {
      writePain001(order);
    } catch (error) {
      expect(error).toMatchObject({ code: 'validation_failed', field: 'transfers[1].creditor.iban', iban: 'DE89370400440532013001' });
    }
  });

  const cases: { name: string; order: CreditTransferOrder; error: typeof InvalidIbanError | typeof CreditTransferOrderError; field: string }[] = [
    { name: 'a debtor IBAN that is not one', order: testOrder({ debtor: { name: 'X', iban: 'DE00 1234', bic: null } }), error: InvalidIbanError, field: 'debtor.iban' },
    { name: 'an IBAN from outside SEPA', order: testOrder({ transfers: [testTransfer({ creditor: { name: 'Ali', iban: 'TR330006100519786457841326', bic: null } })] }), error: InvalidIbanError, field: 'transfers[0].creditor.iban' },
    { name: 'an order without transfers', order: testOrder({ transfers: [] }), error: CreditTransferOrderError, field: 'transfers' },
    { name: 'a currency other than EUR', order: testOrder({ currency: 'SEK' }), error: CreditTransferOrderError, field: 'currency' },
    { name: 'a message id longer than 35', order: testOrder({ messageId: 'M'.repeat(36) }), error: CreditTransferOrderError, field: 'messageId' },
    { name: 'an end-to-end id with "//"', order: testOrder({ transfers: [testTransfer({ endToEndId: 'A//B' })] }), error: CreditTransferOrderError, field: 'transfers[0].endToEndId' },
    { name: 'an end-to-end id used twice', order: testOrder({ transfers: [testTransfer(), testTransfer()] }), error: CreditTransferOrderError, field: 'transfers[1].endToEndId' },
    { name: 'a zero amount', order: testOrder({ transfers: [testTransfer({ amount: 0n })] }), error: CreditTransferOrderError, field: 'transfers[0].amount' },
    { name: 'an amount above 999999999.99', order: testOrder({ transfers: [testTransfer({ amount: 100_000_000_000n })] }), error: CreditTransferOrderError, field: 'transfers[0].amount' },
    { name: 'a BIC that is not one', order: testOrder({ debtor: { ...testOrder().debtor, bic: 'DEUTDEF' } }), error: CreditTransferOrderError, field: 'debtor.bic' },
    { name: 'a creditor without a name', order: testOrder({ transfers: [testTransfer({ creditor: { name: '  ', iban: 'DK5000400440116243', bic: null } })] }), error: CreditTransferOrderError, field: 'transfers[0].creditor.name' },
    { name: 'an execution date that is not a date', order: testOrder({ executionDate: '2024-02-30' }), error: CreditTransferOrderError, field: 'executionDate' },
  ];
  for (const { name, order, error, field } of cases) {
    it(`refuses ${name}`, () => {
      expect(() => writePain001(order)).toThrow(error);
      expect(() => writePain001(order)).toThrow(expect.objectContaining({ field }));
    });
  }
});

// Every file the writer makes must validate against the ISO 20022 schema, with libxml2's
// xmllint.
const schema = fixturePath('banking', 'xsd', 'pain.001.001.03.xsd');

describe('writePain001: valid against the pain.001.001.03 schema', () => {
  const directory = mkdtempSync(join(tmpdir(), 'outlay-pain001-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const orders: [string, CreditTransferOrder][] = [
    ['a single transfer', testOrder()],
    ['a realistic batch', realisticOrder()],
    ['a debtor without BIC', testOrder({ debtor: { name: 'Åsa AB', iban: 'SE4550000000058398257466', bic: null } })],
    ['names and remittance at their limits', testOrder({ transfers: [testTransfer({ creditor: { name: 'ß'.repeat(80), iban: 'AT611904300234573201', bic: 'DEUTDEFF' }, remittance: '€&<>"'.repeat(60) })] })],
  ];
  for (const [name, order] of orders) {
    it(`validates ${name}`, () => {
      const file = join(directory, `${name.replaceAll(' ', '-')}.xml`);
      writeFileSync(file, writePain001(order));
      const run = runTestTool('xmllint', ['--noout', '--schema', schema, file]);
      expect(run.stderr.trim()).toBe(`${file} validates`);
      expect(run.status).toBe(0);
    });
  }
});
