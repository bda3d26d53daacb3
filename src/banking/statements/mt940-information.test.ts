import { describe, expect, it } from 'vitest';
import { readInformation } from './mt940-information.js';

describe(':86: information', () => {
  it('reads the Russian ~NN subfields: the payer of a credit, the recipient of a debit, the purpose', () => {
    const lines = ['~01ООО "ПОЛУЧАТЕЛЬ"~027701234567~0340702810000000000001~04044525225', '~05ПАО СБЕРБАНК~06Оплата по счёту 17 от 01.02.2024, НДС не облагается', '~21ООО "ПЛАТЕЛЬЩИК"~225001234567~2340702810900000000002'];
    expect(readInformation(lines, false)).toMatchObject({ counterparty: { name: 'ООО "ПЛАТЕЛЬЩИК"', iban: null, bic: null }, remittanceInformation: 'Оплата по счёту 17 от 01.02.2024, НДС не облагается' });
    expect(readInformation(lines, true).counterparty).toEqual({ name: 'ООО "ПОЛУЧАТЕЛЬ"', iban: null, bic: null });
    expect(readInformation(lines).counterparty).toBeNull();
  });

  it('reads the Polish labels, taking the NRB as an IBAN only when its check digits agree', () => {
    const lines = ['911 TRANSAKCJA COLLECT; Z RACH.: ', '56114010810000267002001001; OD: JAN NOWAK  ', 'UL. NIJAKA 1 M 2 31-234 KRAKOW; TYT.: PRZELEW   ; '];
    expect(readInformation(lines)).toMatchObject({ counterparty: { name: 'JAN NOWAK', iban: 'PL56114010810000267002001001' }, remittanceInformation: 'PRZELEW' });
    expect(readInformation(lines.map((line) => line.replace('5611', '5711'))).counterparty).toEqual({ name: 'JAN NOWAK', iban: null, bic: null });
  });

  it('reads German subfields and SEPA keys across line breaks, even inside a subfield mark', () => {
    const read = readInformation([
      '166?00GUTSCHRIFT?100399?20EREF+EndToEndId TFNR 22 004?21 00001?22',
      'SVWZ+Verw CTSc-01 BC-PPP TF?23Nr 22 004?30DRESDEFF508?31DE1450880',
      '0500194785000?32KARL?33        KAUFMANN?70Empfaenger Marta Metzge',
      'r',
    ]);
    expect(read).toMatchObject({
      endToEndId: 'EndToEndId TFNR 22 004 00001',
      remittanceInformation: 'Verw CTSc-01 BC-PPP TFNr 22 004',
      counterparty: { name: 'KARL KAUFMANN', iban: 'DE14508800500194785000', bic: 'DRESDEFF508' },
    });
    expect(read.information.split('\n')).toHaveLength(4);
  });

  it('ends a SEPA key where the length SEPA allows for it would be exceeded; the rest is remittance text', () => {
    // EREF+ is at most 35 characters; "MTLG:..." is a message of the bank, not part of it.
    const read = readInformation(['159?00RETOURE?100399?20EREF+TFNR 40005 00005?21MTLG:Grund nicht s', 'pezifizie?22rt Reject aus SEPA-Ueberwei?23sungsauftrag?34914']);
    expect(read.endToEndId).toBe('TFNR 40005 00005');
    expect(read.remittanceInformation).toBe('MTLG:Grund nicht spezifiziert Reject aus SEPA-Ueberweisungsauftrag');
    expect(read.counterparty).toBeNull();
  });

  it('continues a SEPA key into the next subfield while it fits', () => {
    const read = readInformation(['171?20EREF+TRX-0A4A47C3-F846-4729?21-8A1B-5DF620F?22MREF+CAC97D2144174318AC18D9?23BF815BD4FB?24CRED+DE98ZZZ09999999999?25SVWZ+FOO TRX-0A4A47C3-F84?266-4729-8A1B-5DF620F?30HYVEDEMMXXX?31HUkkbbbsssskcccccccccccccccx?32Peter Pan']);
    expect(read).toMatchObject({ endToEndId: 'TRX-0A4A47C3-F846-4729-8A1B-5DF620F', remittanceInformation: 'FOO TRX-0A4A47C3-F846-4729-8A1B-5DF620F' });
    // "HUkk..." is a placeholder, not an IBAN; the model says null rather than pass it on.
    expect(read.counterparty).toEqual({ name: 'Peter Pan', iban: null, bic: 'HYVEDEMMXXX' });
  });

  it('joins purpose lines without SEPA keys: a full 27-character line directly, a shorter one with a space', () => {
    const read = readInformation(['051?00Bank Transfer Credit?10930226?20QQW53T2245ZGY46J ABBUCH', 'UNG?21VOM PAYPAL-KONTO?22100318P3TX1433EV?3050070010?310175526300', '?32PAYPAL?34000']);
    expect(read.remittanceInformation).toBe('QQW53T2245ZGY46J ABBUCHUNG VOM PAYPAL-KONTO 100318P3TX1433EV');
    // ?30 is a German bank code and ?31 an account number here, neither a BIC nor an IBAN.
    expect(read.counterparty).toEqual({ name: 'PAYPAL', iban: null, bic: null });
  });

  it('reads a business transaction code without subfields as nothing more', () => {
    expect(readInformation(['091'])).toMatchObject({ information: '091', remittanceInformation: null, endToEndId: null, counterparty: null });
  });

  it('reads /KEY/ pairs (ING): end-to-end id, counterparty and unstructured remittance', () => {
    const read = readInformation(['/EREF/E2E-2024-0007//CNTP/NL91ABNA0417164300/ABNANL2A/J. Jansen/', 'Amsterdam//REMI/USTD//Invoice 7 top-up/']);
    expect(read).toMatchObject({
      endToEndId: 'E2E-2024-0007',
      remittanceInformation: 'Invoice 7 top-up',
      counterparty: { name: 'J. Jansen', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
    });
  });

  it('reads /KEY/ pairs (ABN AMRO): IBAN, BIC and NAME keys', () => {
    const read = readInformation(['/TRTP/SEPA OVERBOEKING/IBAN/NL91ABNA0417164300/BIC/ABNANL2A', '/NAME/ACME BV/REMI/Wallet top-up 2024-01/EREF/NOTPROVIDED']);
    expect(read).toMatchObject({ endToEndId: 'NOTPROVIDED', remittanceInformation: 'Wallet top-up 2024-01', counterparty: { name: 'ACME BV', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' } });
  });

  it('reads free text as the remittance information, and SEPA keys written into it', () => {
    expect(readInformation(['999PN5477SCHECK-NR. 0000016703074']).remittanceInformation).toBe('999PN5477SCHECK-NR. 0000016703074');
    expect(readInformation(['SEPA credit EREF+ABC-123 SVWZ+Top-up for ACME'])).toMatchObject({ endToEndId: 'ABC-123', remittanceInformation: 'SEPA credit Top-up for ACME' });
  });
});
