// Builds small CAMT.053.001.02 bank statements for tests, as a bank would send them.
export interface CamtEntry {
  /** Signed decimal string: negative for a debit. */
  amount: string;
  bookingDate: string;
  remittance?: string;
  endToEndId?: string;
  bankReference?: string;
  counterparty?: { name: string; iban: string };
}

export interface CamtStatement {
  id: string;
  iban: string;
  currency: string;
  opening: string;
  /** Defaults to opening plus the entries; give another value to make it inconsistent. */
  closing?: string;
  date: string;
  entries: CamtEntry[];
}

function cents(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -value : value;
}

function decimal(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const absolute = value < 0n ? -value : value;
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function balance(code: 'OPBD' | 'CLBD', amount: bigint, currency: string, date: string): string {
  const indicator = amount < 0n ? 'DBIT' : 'CRDT';
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${decimal(amount < 0n ? -amount : amount)}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
}

function entry(item: CamtEntry, currency: string): string {
  const value = cents(item.amount);
  const credit = value > 0n;
  const party = item.counterparty ? `<RltdPties>${credit ? '<Dbtr>' : '<Cdtr>'}<Nm>${escape(item.counterparty.name)}</Nm>${credit ? '</Dbtr>' : '</Cdtr>'}${credit ? '<DbtrAcct>' : '<CdtrAcct>'}<Id><IBAN>${item.counterparty.iban}</IBAN></Id>${credit ? '</DbtrAcct>' : '</CdtrAcct>'}</RltdPties>` : '';
  return `<Ntry>${item.bankReference ? `<NtryRef>${escape(item.bankReference)}</NtryRef>` : ''}<Amt Ccy="${currency}">${decimal(credit ? value : -value)}</Amt><CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${item.bookingDate}</Dt></BookgDt><ValDt><Dt>${item.bookingDate}</Dt></ValDt>${item.bankReference ? `<AcctSvcrRef>${escape(item.bankReference)}</AcctSvcrRef>` : ''}<BkTxCd><Prtry><Cd>NTRF</Cd></Prtry></BkTxCd><NtryDtls><TxDtls><Refs>${item.endToEndId ? `<EndToEndId>${escape(item.endToEndId)}</EndToEndId>` : '<EndToEndId>NOTPROVIDED</EndToEndId>'}</Refs>${party}${item.remittance ? `<RmtInf><Ustrd>${escape(item.remittance)}</Ustrd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>`;
}

export function camt053(statements: readonly CamtStatement[]): string {
  const body = statements
    .map((statement) => {
      const opening = cents(statement.opening);
      const closing = statement.closing !== undefined ? cents(statement.closing) : statement.entries.reduce((sum, item) => sum + cents(item.amount), opening);
      return `<Stmt><Id>${escape(statement.id)}</Id><CreDtTm>${statement.date}T18:00:00</CreDtTm><Acct><Id><IBAN>${statement.iban}</IBAN></Id><Ccy>${statement.currency}</Ccy></Acct>${balance('OPBD', opening, statement.currency, statement.date)}${balance('CLBD', closing, statement.currency, statement.date)}${statement.entries.map((item) => entry(item, statement.currency)).join('')}</Stmt>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>TEST-${statements[0]?.id ?? 'X'}</MsgId><CreDtTm>${statements[0]?.date ?? '2026-01-01'}T18:00:00</CreDtTm></GrpHdr>${body}</BkToCstmrStmt></Document>\n`;
}
