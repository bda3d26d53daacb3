// Export models for the format tests: small builders with sensible defaults (a German
// company in EUR, SKR03-style four-digit accounts, March 2024) that a test overrides where
// its case lives, and one realistic model of a month's expenses.
import type {
  ExportAccount,
  ExportCompany,
  ExportVoucher,
  LedgerExport,
  LedgerJournalEntry,
  VoucherExport,
  VoucherLine,
} from '../../export-model.js';

export function testCompany(overrides: Partial<ExportCompany> = {}): ExportCompany {
  return {
    id: 'cmp_01HTEST0000000000000000000',
    name: 'Nordlicht Möbel GmbH',
    currency: 'EUR',
    organisationNumber: null,
    datevConsultantNumber: 29098,
    datevClientNumber: 55003,
    fiscalYearStartMonth: 1,
    ...overrides,
  };
}

export const testAccounts: ExportAccount[] = [
  { code: '1210', name: 'Outlay Wallet', type: 'asset' },
  { code: '1571', name: 'Abziehbare Vorsteuer 7 %', type: 'asset' },
  { code: '1576', name: 'Abziehbare Vorsteuer 19 %', type: 'asset' },
  { code: '1740', name: 'Verbindlichkeiten gegenüber Mitarbeitern', type: 'liability' },
  { code: '4650', name: 'Bewirtungskosten', type: 'expense' },
  { code: '4660', name: 'Reisekosten Arbeitnehmer', type: 'expense' },
  { code: '4930', name: 'Bürobedarf', type: 'expense' },
  { code: '4940', name: 'Zeitschriften, Bücher', type: 'expense' },
];

/** A fully deductible 19 % line: 119.00 gross, 19.00 VAT. */
export function testLine(overrides: Partial<VoucherLine> = {}): VoucherLine {
  return {
    accountCode: '4930',
    gross: 11_900n,
    vat: 1_900n,
    deductibleVat: 1_900n,
    vatAccountCode: '1576',
    taxCode: 'V19',
    taxRatePercent: '19',
    datevTaxKey: 9,
    text: 'Druckerpapier',
    ...overrides,
  };
}

/** A line without VAT. */
export function untaxedLine(overrides: Partial<VoucherLine> = {}): VoucherLine {
  return testLine({ vat: 0n, deductibleVat: 0n, vatAccountCode: null, taxCode: null, taxRatePercent: null, datevTaxKey: null, ...overrides });
}

/** A voucher whose total is the sum of its lines unless the test says otherwise. */
export function testVoucher(overrides: Partial<ExportVoucher> = {}): ExportVoucher {
  const lines = overrides.lines ?? [testLine()];
  return {
    number: 1,
    expenseId: 'exp_01HTEST0000000000000000001',
    date: '2024-03-04',
    text: 'Büro Müller',
    documentReference: 'rct_01HTEST0000000000000000001',
    counterAccountCode: '1210',
    total: lines.reduce((sum, line) => sum + line.gross, 0n),
    person: 'Jürgen Weiß',
    tags: [],
    lines,
    ...overrides,
  };
}

export function testVoucherExport(overrides: Partial<VoucherExport> = {}): VoucherExport {
  return {
    company: testCompany(),
    from: '2024-03-01',
    to: '2024-03-31',
    generatedAt: new Date('2024-04-02T09:15:30.123Z'),
    accounts: testAccounts,
    vouchers: [testVoucher()],
    ...overrides,
  };
}

/**
 * A month of a German company's expenses: a card purchase split over 19 % and 7 % VAT, a
 * Swedish hotel paid privately and reimbursed (25 % Swedish VAT, not deductible in Germany),
 * a business lunch with a VAT-free tip, and a train ticket whose tax code has no DATEV key.
 */
export function realisticVoucherExport(): VoucherExport {
  return testVoucherExport({
    vouchers: [
      testVoucher({
        number: 1,
        expenseId: 'exp_01HREAL000000000000000001',
        date: '2024-03-04',
        text: 'Büro Müller & Söhne',
        documentReference: 'rct_01HREAL000000000000000001',
        person: 'Jürgen Weiß',
        tags: [{ group: 'Projekt', name: 'Umzug Köln' }],
        lines: [
          testLine({ text: 'Druckerpapier, Toner' }),
          testLine({ accountCode: '4940', gross: 2_140n, vat: 140n, deductibleVat: 140n, vatAccountCode: '1571', taxCode: 'V7', taxRatePercent: '7', datevTaxKey: 8, text: 'Fachbuch „Bilanzen“' }),
        ],
      }),
      testVoucher({
        number: 2,
        expenseId: 'exp_01HREAL000000000000000002',
        date: '2024-03-12',
        text: 'Scandic Malmö, 2 Nächte',
        documentReference: 'rct_01HREAL000000000000000002',
        counterAccountCode: '1740',
        person: 'Åsa Öberg',
        tags: [{ group: 'Reise', name: 'Messe Malmö' }],
        lines: [
          testLine({ accountCode: '4660', gross: 24_800n, vat: 4_960n, deductibleVat: 0n, vatAccountCode: null, taxCode: 'SE25-ND', taxRatePercent: '25', datevTaxKey: null, text: 'Hotel Übernachtung' }),
        ],
      }),
      testVoucher({
        number: 3,
        expenseId: 'exp_01HREAL000000000000000003',
        date: '2024-03-20',
        text: 'Restaurant "Zur Linde"',
        documentReference: 'rct_01HREAL000000000000000003',
        person: 'Emma Nørgaard',
        tags: [
          { group: 'Kostenstelle', name: 'Vertrieb' },
          { group: 'Projekt', name: 'Messe Malmö' },
        ],
        lines: [
          testLine({ accountCode: '4650', gross: 9_520n, vat: 1_520n, deductibleVat: 1_520n, text: 'Geschäftsessen; 3 Personen' }),
          untaxedLine({ accountCode: '4650', gross: 1_000n, text: 'Trinkgeld' }),
        ],
      }),
      testVoucher({
        number: 4,
        expenseId: 'exp_01HREAL000000000000000004',
        date: '2024-03-27',
        text: 'Deutsche Bahn Köln–Hamburg',
        documentReference: 'exp_01HREAL000000000000000004',
        counterAccountCode: '1740',
        person: 'Emma Nørgaard',
        lines: [testLine({ accountCode: '4660', gross: 5_950n, vat: 950n, deductibleVat: 950n, taxCode: 'V19-RK', datevTaxKey: null, text: '' })],
      }),
    ],
  });
}

export function testLedgerExport(overrides: Partial<LedgerExport> = {}): LedgerExport {
  return {
    company: testCompany(),
    from: '2024-03-01',
    to: '2024-03-31',
    generatedAt: new Date('2024-04-02T09:15:30.123Z'),
    accounts: [
      { code: 'wallet', name: 'Wallet', type: 'asset' },
      { code: 'wallet_funding', name: 'Wallet funding (bank transfers in)', type: 'equity' },
      { code: 'card_spend', name: 'Card spend (to be categorised)', type: 'expense' },
    ],
    openingBalances: [],
    entries: [
      {
        id: 'je_01HTEST0000000000000000001',
        date: '2024-03-04',
        description: 'Card purchase',
        postings: [
          { accountCode: 'card_spend', amount: 1_250n },
          { accountCode: 'wallet', amount: -1_250n },
        ],
      },
    ],
    ...overrides,
  };
}

function entry(id: string, date: string, description: string, postings: [string, bigint][]): LedgerJournalEntry {
  return { id, date, description, postings: postings.map(([accountCode, amount]) => ({ accountCode, amount })) };
}

/** The ledger side of a month: a top-up, card purchases booked to categories with VAT, a
 * reimbursement owed and paid out, and a card refund. */
export function realisticLedgerExport(): LedgerExport {
  return testLedgerExport({
    accounts: [
      { code: 'wallet', name: 'Wallet', type: 'asset' },
      { code: 'wallet_funding', name: 'Wallet funding (bank transfers in)', type: 'equity' },
      { code: 'card_spend', name: 'Card spend (to be categorised)', type: 'expense' },
      { code: '1576', name: 'Abziehbare Vorsteuer 19 %', type: 'asset' },
      { code: '4930', name: 'Bürobedarf', type: 'expense' },
      { code: '4660', name: 'Reisekosten Arbeitnehmer', type: 'expense' },
      { code: 'payable:usr_01HEMMA', name: 'Employee payable: Emma Nørgaard', type: 'liability' },
      { code: 'card_refunds', name: 'Card refunds; chargebacks', type: 'income' },
    ],
    openingBalances: [
      { accountCode: 'wallet', amount: 500_000n },
      { accountCode: 'wallet_funding', amount: -520_000n },
      { accountCode: 'card_spend', amount: 20_000n },
    ],
    entries: [
      entry('je_01HREAL000000000000000001', '2024-03-01', 'Top-up SEPA 2024-03 Nordlicht Möbel', [['wallet', 100_000n], ['wallet_funding', -100_000n]]),
      entry('je_01HREAL000000000000000002', '2024-03-04', 'Card: Büro Müller & Söhne', [['card_spend', 11_900n], ['wallet', -11_900n]]),
      entry('je_01HREAL000000000000000003', '2024-03-05', 'Categorised: Druckerpapier', [['4930', 10_000n], ['1576', 1_900n], ['card_spend', -11_900n]]),
      entry('je_01HREAL000000000000000004', '2024-03-12', 'Reimbursement owed: Scandic Malmö', [['4660', 24_800n], ['payable:usr_01HEMMA', -24_800n]]),
      entry('je_01HREAL000000000000000005', '2024-03-15', 'Payout to Emma Nørgaard', [['payable:usr_01HEMMA', 24_800n], ['wallet', -24_800n]]),
      entry('je_01HREAL000000000000000006', '2024-03-20', 'Card refund: Büro Müller', [['wallet', 2_500n], ['card_refunds', -2_500n]]),
    ],
  });
}
