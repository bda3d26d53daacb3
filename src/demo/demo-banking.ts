// The demo platform's banking: an operator, and a statement of the top-up account already
// imported, with the demo company's top-up found by its reference and a transfer nobody's
// reference names waiting in suspense.
import { systemActor } from '../auth/actor.js';
import type { PasswordCost } from '../config/config.js';
import type { Db } from '../db/database.js';
import { addActivePerson } from '../people/people.service.js';
import type { BlobStore } from '../storage/blob-store.js';
import { paymentReferenceOf } from '../banking/payment-references.service.js';
import { ensurePlatformCompany } from '../banking/platform-company.service.js';
import { importStatementFile } from '../banking/statement-import.service.js';
import type { TopUpAccount } from '../banking/top-up-account.js';
import { formatCreditorReference } from '../banking/creditor-reference.js';

export const demoOperator = { email: 'operator@demo.outlay.test', name: 'Oda Operator' };

const decimalOf = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

function statementXml(account: TopUpAccount, date: string, entries: { amount: bigint; remittance: string; reference: string; payer: string }[]): string {
  const opening = 1_250_000n;
  const closing = entries.reduce((sum, entry) => sum + entry.amount, opening);
  const entryXml = entries
    .map((entry) => `<Ntry><NtryRef>${entry.reference}</NtryRef><Amt Ccy="${account.currency}">${decimalOf(entry.amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt><AcctSvcrRef>${entry.reference}</AcctSvcrRef><BkTxCd><Prtry><Cd>NTRF</Cd></Prtry></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties><Dbtr><Nm>${entry.payer}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>${entry.remittance}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`)
    .join('');
  const balance = (code: string, amount: bigint) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${account.currency}">${decimalOf(amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>DEMO-${date}</MsgId><CreDtTm>${date}T18:00:00</CreDtTm></GrpHdr><Stmt><Id>DEMO-${date}</Id><CreDtTm>${date}T18:00:00</CreDtTm><Acct><Id><IBAN>${account.iban}</IBAN></Id><Ccy>${account.currency}</Ccy></Acct>${balance('OPBD', opening)}${balance('CLBD', closing)}${entryXml}</Stmt></BkToCstmrStmt></Document>\n`;
}

export async function seedDemoBanking(db: Db, blobs: BlobStore, account: TopUpAccount, companyId: string, password: { password: string; cost: PasswordCost }, today: Date): Promise<void> {
  const platform = await ensurePlatformCompany(db, account.currency);
  await addActivePerson(db, platform.id, { ...demoOperator, roles: ['operator'], password: password.password }, password.cost);
  const reference = await paymentReferenceOf(db, companyId);
  const date = new Date(today.getTime() - 2 * 24 * 3600_000).toISOString().slice(0, 10);
  const xml = statementXml(account, date, [
    { amount: 500_000n, remittance: `Wallet top-up ${formatCreditorReference(reference).toLowerCase()}`, reference: 'DEMO-TOPUP-2', payer: 'Nordlys Studio ApS' },
    { amount: 120_000n, remittance: 'Payment for cards, invoice 2291', reference: 'DEMO-UNKNOWN-1', payer: 'Hansen Design' },
  ]);
  await importStatementFile({ db, blobs, topUpAccount: account }, { companyId: platform.id, isPlatform: true }, { bytes: Buffer.from(xml), fileName: `demo-${date}.xml`, via: 'cli' }, { ...systemActor, actorId: 'demo' }, today);
}
