// ISO 20022 bank-to-customer messages, read into the neutral model: camt.053 statements,
// camt.052 intraday account reports and camt.054 debit and credit notifications. The three
// share their entry (ReportEntry) and differ in the element names around it; the message and
// its version come from the namespace. Versions 001.02 to 001.13 are read. What differs
// between versions, as far as Outlay reads them:
// - Ntry/Sts is a code as text up to 001.07 (EntryStatus2Code) and a choice of Cd or Prtry
//   from 001.08 (EntryStatus1Choice); both forms are accepted in every version.
// - Parties are Dbtr/Nm up to 001.07 and Dbtr/Pty/Nm from 001.08 (Party40Choice).
// - Agents' BICs are FinInstnId/BIC in 001.02 and 001.03 and FinInstnId/BICFI from 001.04.
// - Dates (balances, BookgDt, ValDt) are a choice of Dt or DtTm in all of them.
// - TxDtls/Amt does not exist in 001.02, is required in 001.04 and optional later; the
//   entry's own Ntry/Amt is what is booked, so it is the one read.
// Only booked entries (Sts BOOK) are entries of the statement: pending and information-only
// ones do not move the booked balance and must not fund a wallet; each is noted as a
// warning. A batch entry with several TxDtls keeps its entry-level fields only, as no single
// transaction describes it. camt.054 carries no balances; its statements have none.
import { entriesPerStatementMax, statementsPerFileMax } from './limits.js';
import { reconcile, type BalanceFigure } from './reconcile.js';
import type { Counterparty, ParsedStatementFile, Statement, StatementBalance, StatementEntry } from './statement.js';
import { formatExactAmount, inCurrency, negate, parseIsoAmount, type ExactAmount } from './statement-amount.js';
import { parseIsoDate } from './statement-dates.js';
import { StatementParseError, StatementValueError } from './statement-parse-error.js';
import { StatementWarnings } from './statement-warnings.js';
import { loadXml, type XmlNode } from './xml-document.js';

/** "001.02" ... "001.13". */
export type CamtVersion = `001.${string}`;
type CamtFormat = 'camt.052' | 'camt.053' | 'camt.054';

/** Per message: the element that holds the message, and the one of each statement in it. */
const messages: Readonly<Record<CamtFormat, { body: string; item: string; name: string }>> = {
  'camt.052': { body: 'BkToCstmrAcctRpt', item: 'Rpt', name: 'report' },
  'camt.053': { body: 'BkToCstmrStmt', item: 'Stmt', name: 'statement' },
  'camt.054': { body: 'BkToCstmrDbtCdtNtfctn', item: 'Ntfctn', name: 'notification' },
};

const namespacePattern = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.(001\.(\d{2}))$/;
const versionFirst = 2;
/** The newest version published when this was written (ISO 20022 2023 maintenance). */
const versionLast = 13;

function camtMessage(namespace: string | null, root: XmlNode): { format: CamtFormat; version: CamtVersion; number: number } {
  const match = namespace === null ? null : namespacePattern.exec(namespace);
  if (!match) {
    throw root.fail(`namespace ${namespace === null ? '(none)' : `"${namespace}"`} is not camt.052, camt.053 or camt.054 (urn:iso:std:iso:20022:tech:xsd:camt.05X.001.NN)`);
  }
  const number = Number(match[3]);
  if (number < versionFirst || number > versionLast) {
    throw root.fail(`${match[1]} version ${match[2]} is not supported; Outlay reads 001.02 to 001.${versionLast}`);
  }
  return { format: match[1] as CamtFormat, version: match[2] as CamtVersion, number };
}

function valueError(node: XmlNode, error: unknown): unknown {
  return error instanceof StatementValueError ? node.fail(error.message) : error;
}

interface CamtAmount {
  amount: ExactAmount;
  currency: string;
}

/** Amt with its Ccy attribute, signed by the sibling CdtDbtInd (CRDT or DBIT). */
function signedAmount(owner: XmlNode): CamtAmount & { debit: boolean } {
  const node = owner.child('Amt');
  if (!node) throw owner.fail('Amt is missing');
  const currency = node.attribute('Ccy');
  if (currency === null || !/^[A-Z]{3}$/.test(currency)) throw node.fail(`currency ${JSON.stringify(currency)} is not an ISO 4217 code`);
  const written = node.text() ?? '';
  const indicator = owner.requiredText('CdtDbtInd');
  if (indicator !== 'CRDT' && indicator !== 'DBIT') throw owner.child('CdtDbtInd')!.fail(`"${indicator}" is not CRDT or DBIT`);
  try {
    const unsigned = inCurrency(parseIsoAmount(written), currency, written);
    const debit = indicator === 'DBIT';
    return { amount: debit ? negate(unsigned) : unsigned, currency, debit };
  } catch (error) {
    throw valueError(node, error);
  }
}

/** DateAndDateTimeChoice: Dt or DtTm. */
function dateOf(node: XmlNode | null): string | null {
  if (!node) return null;
  const choice = node.child('Dt') ?? node.child('DtTm');
  const text = choice?.text() ?? null;
  if (choice === null || text === null) throw node.fail('has neither Dt nor DtTm');
  try {
    return parseIsoDate(text, 'date');
  } catch (error) {
    throw valueError(choice, error);
  }
}

interface CamtBalance extends CamtAmount {
  date: string;
  code: string;
}

/** OPBD opening booked, or PRCD previously closed booked (German banks send it instead);
 * CLBD closing booked. Available (OPAV, CLAV, FWAV) and interim (ITBD) balances are not used. */
const openingCodes = ['OPBD', 'PRCD'];
const closingCodes = ['CLBD'];

function readBalances(statement: XmlNode): CamtBalance[] {
  return statement.children('Bal').flatMap((balance) => {
    const code = balance.textAt('Tp', 'CdOrPrtry', 'Cd');
    if (code === null || ![...openingCodes, ...closingCodes].includes(code)) return [];
    const date = dateOf(balance.child('Dt'));
    if (date === null) throw balance.fail('Dt is missing');
    return [{ ...signedAmount(balance), date, code }];
  });
}

function pickBalance(statement: XmlNode, balances: CamtBalance[], codes: string[]): CamtBalance | null {
  for (const code of codes) {
    const found = balances.filter((balance) => balance.code === code);
    if (found.length > 1) throw statement.fail(`has ${found.length} balances of type ${code}`);
    if (found[0]) return found[0];
  }
  return null;
}

function entryStatus(entry: XmlNode, version: number): string {
  const status = entry.child('Sts');
  if (!status) throw entry.fail('Sts is missing');
  const asCode = status.textAt('Cd') ?? status.textAt('Prtry');
  const value = version >= 8 ? (asCode ?? status.text()) : (status.text() ?? asCode);
  if (value === null) throw status.fail('has no status code');
  return value;
}

function reversal(entry: XmlNode): boolean {
  const indicator = entry.child('RvslInd');
  const value = indicator?.text() ?? null;
  if (indicator === null) return false;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw indicator.fail(`${JSON.stringify(value)} is not true or false`);
}

function typeCode(codes: XmlNode | null): string | null {
  if (!codes) return null;
  const domain = codes.child('Domn');
  if (domain) {
    const parts = [domain.textAt('Cd'), domain.textAt('Fmly', 'Cd'), domain.textAt('Fmly', 'SubFmlyCd')];
    return parts.filter((part) => part !== null).join('-') || null;
  }
  return codes.textAt('Prtry', 'Cd');
}

/** The other side of the payment. On a credit the money came from the debtor; on a debit it
 * went to the creditor. A reversal (RvslInd) reports the original payment's parties, so the
 * other side is the opposite one: a returned transfer is credited, and its party is the
 * creditor it was sent to. */
function counterparty(transaction: XmlNode, credit: boolean, reversed: boolean): Counterparty | null {
  const [party, account, agent] = credit !== reversed ? ['Dbtr', 'DbtrAcct', 'DbtrAgt'] : ['Cdtr', 'CdtrAcct', 'CdtrAgt'];
  const parties = transaction.child('RltdPties');
  const name = parties?.textAt(party, 'Pty', 'Nm') ?? parties?.textAt(party, 'Nm') ?? parties?.textAt(party, 'Agt', 'FinInstnId', 'Nm') ?? null;
  const iban = parties?.textAt(account, 'Id', 'IBAN') ?? null;
  const institution = transaction.at('RltdAgts', agent, 'FinInstnId');
  const bic = institution?.textAt('BICFI') ?? institution?.textAt('BIC') ?? null;
  return name === null && iban === null && bic === null ? null : { name, iban, bic };
}

function remittance(transaction: XmlNode): string | null {
  const information = transaction.child('RmtInf');
  if (!information) return null;
  const unstructured = information.children('Ustrd').map((line) => line.text() ?? '');
  const references = information.children('Strd').map((structured) => structured.textAt('CdtrRefInf', 'Ref') ?? '');
  const text = [...unstructured, ...references].map((part) => part.trim()).filter((part) => part !== '').join(' ');
  return text === '' ? null : text;
}

interface CamtEntry extends CamtAmount {
  debit: boolean;
  model: StatementEntry;
}

function readEntry(entry: XmlNode, version: number, warnings: StatementWarnings): CamtEntry | null {
  const money = signedAmount(entry);
  const status = entryStatus(entry, version);
  if (status !== 'BOOK') {
    warnings.add('entry_not_booked', { path: entry.path }, `the entry of ${formatExactAmount(money.amount, money.currency)} ${money.currency} has status ${status.slice(0, 20)}, not BOOK; it is not read as an entry`);
    return null;
  }
  const reversed = reversal(entry);
  const transactions = entry.children('NtryDtls').flatMap((details) => details.children('TxDtls'));
  const transaction = transactions.length === 1 ? transactions[0]! : null;
  const refs = transaction?.child('Refs') ?? null;
  return {
    ...money,
    model: {
      amount: formatExactAmount(money.amount, money.currency),
      currency: money.currency,
      bookingDate: dateOf(entry.child('BookgDt')),
      valueDate: dateOf(entry.child('ValDt')),
      bankReference: entry.textAt('AcctSvcrRef') ?? refs?.textAt('AcctSvcrRef') ?? null,
      customerReference: refs?.textAt('InstrId') ?? refs?.textAt('PmtInfId') ?? null,
      endToEndId: refs?.textAt('EndToEndId') ?? null,
      remittanceInformation: transaction ? remittance(transaction) : null,
      counterparty: transaction ? counterparty(transaction, !money.debit, reversed) : null,
      typeCode: typeCode(entry.child('BkTxCd')) ?? typeCode(transaction?.child('BkTxCd') ?? null),
      information: transaction?.textAt('AddtlTxInf') ?? entry.textAt('AddtlNtryInf'),
    },
  };
}

function balanceFigure(balance: CamtBalance | null, label: string): BalanceFigure | null {
  return balance && { label: `${label} (${balance.code})`, amount: balance.amount, currency: balance.currency };
}

function modelBalance(balance: CamtBalance | null): StatementBalance | null {
  return balance && { amount: formatExactAmount(balance.amount, balance.currency), date: balance.date };
}

function readStatement(statement: XmlNode, version: number, warnings: StatementWarnings): Statement {
  const id = statement.requiredText('Id');
  const sequence = statement.textAt('ElctrncSeqNb');
  const accountId = statement.child('Acct')?.child('Id') ?? null;
  if (!accountId) throw statement.fail('Acct/Id is missing');
  const balances = readBalances(statement);
  const opening = pickBalance(statement, balances, openingCodes);
  const closing = pickBalance(statement, balances, closingCodes);
  const entryNodes = statement.children('Ntry');
  if (entryNodes.length > entriesPerStatementMax) throw statement.fail(`has ${entryNodes.length} entries; the limit is ${entriesPerStatementMax}`);
  const entries = entryNodes.map((entry) => readEntry(entry, version, warnings)).filter((entry): entry is CamtEntry => entry !== null);
  const currency = statement.textAt('Acct', 'Ccy') ?? opening?.currency ?? closing?.currency ?? entries[0]?.currency ?? null;
  const reconciliation = reconcile({
    currency,
    opening: balanceFigure(opening, 'opening balance'),
    closing: balanceFigure(closing, 'closing balance'),
    otherBalances: [],
    entries: entries.map((entry) => ({ amount: entry.amount, currency: entry.currency, debit: entry.debit })),
    totals: [],
  });
  return {
    id: sequence === null ? id : `${id}/${sequence}`,
    account: accountId.textAt('IBAN') ?? accountId.textAt('Othr', 'Id'),
    currency,
    opening: modelBalance(opening),
    closing: modelBalance(closing),
    entries: entries.map((entry) => entry.model),
    ...reconciliation,
  };
}

/** Reads a camt.052, camt.053 or camt.054 document, told apart by its namespace. */
export function parseCamt(text: string, warnings = new StatementWarnings()): ParsedStatementFile {
  const root = loadXml(text);
  if (root.name !== 'Document') throw root.node.fail('the root element is not Document, so this is not an ISO 20022 message');
  const { format, number } = camtMessage(root.namespace, root.node);
  const { body, item, name } = messages[format];
  const bodies = root.node.children(body);
  if (bodies.length !== 1) throw root.node.fail(`has ${bodies.length} ${body} elements; ${format} has exactly one`);
  const statementNodes = bodies[0]!.children(item);
  if (statementNodes.length === 0) throw bodies[0]!.fail(`has no ${item}; a ${format} message holds at least one ${name}`);
  if (statementNodes.length > statementsPerFileMax) throw bodies[0]!.fail(`has ${statementNodes.length} ${item} elements; the limit is ${statementsPerFileMax}`);
  const statements = statementNodes.map((statement, index) => {
    try {
      return readStatement(statement, number, warnings);
    } catch (error) {
      if (error instanceof StatementParseError) throw error.inStatement(index + 1, statement.textAt('Id') && `Id ${statement.textAt('Id')}`);
      throw error;
    }
  });
  return { format, statements, warnings: warnings.list() };
}
