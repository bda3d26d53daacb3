// The parsers the fuzzer feeds, each with what it is given (inputs made by fast-check from
// the format's own pieces, and mutations of the real files in the shared fixtures) and which
// thrown errors are the parser's own, located refusals. Anything else thrown is a crash.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { parseCamt } from '../src/banking/statements/camt.js';
import { parseMt940 } from '../src/banking/statements/mt940.js';
import { parseStatementFile } from '../src/banking/statements/parse-statement-file.js';
import { StatementParseError } from '../src/banking/statements/statement-parse-error.js';
import { parseCompleteControls, walletAmounts } from '../src/cards/controls-json.js';
import { readAuthorization } from '../src/iso8583/authorization-message.js';
import { decodeMessage, encodeMessage } from '../src/iso8583/codec.js';
import { FrameDecoder, frameMessage } from '../src/iso8583/framing.js';
import { readReversal } from '../src/iso8583/reversal-message.js';
import { sniffMediaType } from '../src/receipts/media-type.js';
import { readReceiptMail, UnreadableMessageError } from '../src/receipts/mail-in/receipt-mail.js';
import { prepareReceiptFile } from '../src/receipts/receipt-file.js';
import { DomainError } from '../src/shared/errors.js';
import { fixturePath } from '../src/test-support/fixtures.js';
import { authorizationRequest, cafePurchase, networkManagementRequest, reversalRequest } from '../src/test-support/iso8583-acquirer-messages.js';
import { mutationOf } from './mutations.js';

export interface ParserTarget {
  name: string;
  /** What the parser is: the function the cases go through. */
  entry: string;
  /** Seed files the mutations start from. */
  seedFiles: number;
  input: fc.Arbitrary<unknown>;
  /** Runs one case; throws what the parser threw. */
  run: (input: unknown) => unknown;
  /** Whether a thrown error is the parser's own refusal of bad input. */
  isOwnError: (error: unknown) => boolean;
  /** Cases as a share of the suite's count: 1 unless each case is far dearer (image decoding). */
  share: number;
}

function filesUnder(folder: string, pattern: RegExp): Buffer[] {
  const found: Buffer[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) found.push(readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return found;
}

const now = new Date('2026-11-20T10:00:30Z');
const mutatedOrGenerated = (seeds: Buffer[], tokens: readonly string[], generated: fc.Arbitrary<Buffer>) =>
  fc.oneof({ weight: 3, arbitrary: mutationOf(seeds, tokens) }, { weight: 2, arbitrary: generated });

// --- Bank statements ------------------------------------------------------------------------

const mt940Tags = [':20:', ':21:', ':25:', ':28:', ':28C:', ':60F:', ':60M:', ':61:', ':86:', ':62F:', ':62M:', ':64:', ':65:', ':13:', ':13D:', ':34F:', ':90D:', ':90C:', '-', '{1:F01', '{2:O940', '{4:', '-}'];
const mt940Text = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFCDRC,/ ?+-:NMSTRXYZ\r\n'.split('')), maxLength: 60 });
const mt940Generated = fc
  .array(fc.tuple(fc.constantFrom(...mt940Tags), fc.oneof(mt940Text, fc.constantFrom('C231130EUR1234,56', 'D231130EUR0,', '2311301130CR12,34NTRFNONREF//B1', '?20SVWZ+x?21y', 'DE89370400440532013000', '1/1', 'EUR', '')), fc.constantFrom('\r\n', '\n', '', '\r')), { maxLength: 30 })
  .map((lines) => Buffer.from(lines.map(([tag, text, end]) => `${tag}${text}${end}`).join(''), 'latin1'));

const camtNames = ['Document', 'BkToCstmrStmt', 'GrpHdr', 'MsgId', 'CreDtTm', 'Stmt', 'Id', 'Acct', 'IBAN', 'Ccy', 'Bal', 'Tp', 'CdOrPrtry', 'Cd', 'Amt', 'CdtDbtInd', 'Dt', 'DtTm', 'Ntry', 'Sts', 'BookgDt', 'ValDt', 'NtryDtls', 'TxDtls', 'RmtInf', 'Ustrd', 'Strd', 'Refs', 'EndToEndId', 'RltdPties', 'Dbtr', 'Nm', 'AcctSvcrRef'];
const camtValues = ['CRDT', 'DBIT', 'CLBD', 'OPBD', 'BOOK', 'PDNG', 'EUR', '100.00', '-1', '1e9', '2023-11-30', '2023-11-30T10:00:00', 'DE89370400440532013000', '', '&amp;', '&#0;', ']]>', '9'.repeat(40)];
const camtNode: fc.Memo<string> = fc.memo((depth) =>
  depth <= 1
    ? fc.oneof(fc.constantFrom(...camtValues), fc.string({ maxLength: 12 }))
    : fc
        .tuple(fc.constantFrom(...camtNames), fc.option(fc.constantFrom(' Ccy="EUR"', ' Ccy="X"', ' Ccy=""'), { nil: '' }), fc.array(camtNode(depth - 1), { maxLength: 4 }))
        .map(([name, attribute, children]) => `<${name}${attribute}>${children.join('')}</${name}>`),
);
const camtGenerated = fc
  .tuple(fc.constantFrom('urn:iso:std:iso:20022:tech:xsd:camt.053.001.02', 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.04', 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08', 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.02', 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08', 'urn:x'), fc.array(camtNode(5), { maxLength: 4 }))
  .map(([namespace, children]) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Document xmlns="${namespace}"><BkToCstmrStmt>${children.join('')}</BkToCstmrStmt></Document>`, 'utf8'));

function statementTargets(): ParserTarget[] {
  const mt940Seeds = filesUnder(fixturePath('banking', 'mt940'), /\.(sta|txt|mt940)$/i);
  const camtSeeds = filesUnder(fixturePath('banking', 'camt'), /\.xml$/i);
  const isOwnError = (error: unknown) => error instanceof StatementParseError;
  return [
    { name: 'mt940', entry: 'parseMt940', seedFiles: mt940Seeds.length, input: mutatedOrGenerated(mt940Seeds, mt940Tags, mt940Generated), run: (bytes) => parseMt940((bytes as Buffer).toString('latin1')), isOwnError, share: 1 },
    { name: 'camt', entry: 'parseCamt', seedFiles: camtSeeds.length, input: mutatedOrGenerated(camtSeeds, ['<', '>', '</Ntry>', '<Ntry>', '<Amt Ccy="EUR">', '&', '<!DOCTYPE x [<!ENTITY a "b">]>', '<![CDATA[', 'xmlns="urn:x"'], camtGenerated), run: (bytes) => parseCamt((bytes as Buffer).toString('utf8')), isOwnError, share: 1 },
    { name: 'statement-file', entry: 'parseStatementFile (format sniffing and decoding)', seedFiles: mt940Seeds.length + camtSeeds.length, input: mutatedOrGenerated([...mt940Seeds, ...camtSeeds], ['\uFEFF', '<?xml version="1.0" encoding="latin1"?>', '{1:', ':20:', '\u00ff'], fc.oneof(mt940Generated, camtGenerated)), run: (bytes) => parseStatementFile(bytes as Buffer), isOwnError, share: 1 },
  ];
}

// --- ISO 8583 ---------------------------------------------------------------------------------

function iso8583Seeds(): Buffer[] {
  const purchase = cafePurchase('4000001234567899', 1250n);
  const request = authorizationRequest(purchase);
  return [
    encodeMessage(request),
    encodeMessage(authorizationRequest(cafePurchase('5500005555555559', 99_999_999n, { currency: '752' }), '0200')),
    encodeMessage(reversalRequest(request, { transmittedAt: now, stan: '000777', actualAmount: 500n })),
    encodeMessage(networkManagementRequest('301', now, '000001')),
  ];
}

/** Header bytes that are digits mostly, since that is what the fields hold. */
const iso8583Generated = fc
  .tuple(fc.constantFrom('0100', '0200', '0400', '0420', '0800', '0x00', '9999'), fc.uint8Array({ minLength: 8, maxLength: 16 }), fc.array(fc.oneof(fc.constantFrom(...'0123456789'.split('')), fc.string({ maxLength: 3 })), { maxLength: 120 }))
  .map(([mti, bitmap, body]) => Buffer.concat([Buffer.from(mti, 'latin1'), Buffer.from(bitmap), Buffer.from(body.join(''), 'latin1')]));

function readDecoded(bytes: Uint8Array): unknown {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) return decoded.error;
  return [readAuthorization(decoded.message, now), readReversal(decoded.message, now)];
}

function iso8583Targets(): ParserTarget[] {
  const seeds = iso8583Seeds();
  const fieldInput = mutatedOrGenerated(seeds, ['0', '99', '\u0000', '\u00ff', '1'.repeat(20)], iso8583Generated);
  const frameSeeds = seeds.map((message) => frameMessage(message));
  const stream = fc.tuple(fc.array(mutationOf(frameSeeds, ['\u0000', '\u00ff\u00ff', '\u0000\u0000']), { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 10 }));
  return [
    { name: 'iso8583-fields', entry: 'decodeMessage, readAuthorization, readReversal', seedFiles: seeds.length, input: fieldInput, run: (bytes) => readDecoded(bytes as Buffer), isOwnError: () => false, share: 1 },
    {
      name: 'iso8583-frames',
      entry: 'FrameDecoder.push, then decodeMessage of each frame',
      seedFiles: frameSeeds.length,
      input: stream,
      run: (input) => {
        const [frames, cuts] = input as [Buffer[], number[]];
        const bytes = Buffer.concat(frames);
        const decoder = new FrameDecoder(2048);
        let at = 0;
        const read: unknown[] = [];
        for (let i = 0; at < bytes.length; i++) {
          const step = cuts[i % cuts.length]!;
          const batch = decoder.push(bytes.subarray(at, at + step));
          at += step;
          for (const frame of batch.frames) read.push(readDecoded(frame));
          if (batch.error) break;
        }
        if (decoder.bufferedBytes > 2048 + 2) throw new Error(`the decoder holds ${decoder.bufferedBytes} bytes, past a header and frameBytesMax`);
        return read;
      },
      isOwnError: () => false,
      share: 1,
    },
  ];
}

// --- Mail, receipts, controls ---------------------------------------------------------------------

function mailSeeds(html: string, png: Buffer): Buffer[] {
  const boundary = 'outlay-fuzz-boundary';
  const multipart = [
    'From: Shop <orders@shop.example>',
    'To: receipts+abc@outlay.test',
    'Subject: =?UTF-8?B?S3ZpdHRlcmluZw==?=',
    'Message-ID: <fuzz-1@shop.example>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    html.slice(0, 4000).replace(/=/g, '=3D'),
    `--${boundary}`,
    'Content-Type: image/png; name="receipt.png"',
    'Content-Disposition: attachment; filename="receipt.png"',
    'Content-Transfer-Encoding: base64',
    '',
    png.toString('base64').replace(/.{76}/g, '$&\r\n'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  const plain = ['From: someone@example.com', 'Subject: taxi', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '', 'Taxi 23,50 EUR'].join('\r\n');
  return [Buffer.from(multipart, 'utf8'), Buffer.from(plain, 'latin1')];
}

const mailGenerated = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('From', 'To', 'Subject', 'Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition', 'Message-ID', 'MIME-Version', 'X'), fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('multipart/mixed; boundary=b', 'multipart/alternative; boundary="b"', 'base64', 'quoted-printable', 'attachment; filename*=UTF-8\'\'%E2%82%AC.pdf', '=?UTF-8?Q?=E2=82?=', '<a@b>'))), { maxLength: 10 }),
    fc.array(fc.oneof(fc.constantFrom('--b', '--b--', '', 'Content-Type: application/pdf', 'JVBERi0xLjQK', '=\r\n', '=ZZ'), fc.string({ maxLength: 40 })), { maxLength: 20 }),
  )
  .map(([headers, body]) => Buffer.from([...headers.map(([name, value]) => `${name}: ${value}`), '', ...body].join('\r\n'), 'utf8'));

const controlsGenerated: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      perPurchaseMax: fc.oneof(fc.constant(null), fc.constantFrom('250.00', '0', '-1', '1e3', '99999999999999999999', '0.001', ''), fc.jsonValue()),
      limits: fc.oneof(fc.dictionary(fc.constantFrom('daily', 'weekly', 'monthly', 'yearly', 'lifetime', 'hourly', '__proto__'), fc.oneof(fc.constantFrom('100.00', 'x', '1.234'), fc.jsonValue())), fc.jsonValue()),
      categories: fc.oneof(fc.record({ allow: fc.oneof(fc.constant(null), fc.array(fc.constantFrom('travel', 'fuel', 'restaurants', 'nothing', ''))), block: fc.array(fc.string({ maxLength: 12 })) }, { requiredKeys: [] }), fc.jsonValue()),
      countries: fc.oneof(fc.record({ allow: fc.oneof(fc.constant(null), fc.array(fc.constantFrom('DK', 'SE', 'XX', 'dk', 'DEU'), { maxLength: 300 })), block: fc.array(fc.string({ maxLength: 3 })) }, { requiredKeys: [] }), fc.jsonValue()),
      channels: fc.oneof(fc.constant(null), fc.array(fc.constantFrom('online', 'in_person', 'atm', 'x')), fc.jsonValue()),
      weekdays: fc.oneof(fc.constant(null), fc.array(fc.integer({ min: -2, max: 9 })), fc.jsonValue()),
      hours: fc.oneof(fc.constant(null), fc.record({ from: fc.oneof(fc.integer({ min: -1, max: 25 }), fc.double()), to: fc.integer({ min: -1, max: 25 }) }), fc.jsonValue()),
      validFrom: fc.oneof(fc.constant(null), fc.constantFrom('2026-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '2026-13-01', '+275760-09-13T00:00:00.000Z'), fc.jsonValue()),
      validUntil: fc.oneof(fc.constant(null), fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), fc.jsonValue()),
      unknown: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
  fc.anything(),
);

export async function parserTargets(): Promise<ParserTarget[]> {
  const html = readFileSync(path.join(import.meta.dirname, '../src/receipts/mail-in/testdata/shop-receipt.html'), 'utf8');
  const receiptImages = readdirSync(fixturePath('receipts-sroie', 'img')).slice(0, 3).map((name) => readFileSync(fixturePath('receipts-sroie', 'img', name)));
  // Small images, so that a case costs a decode of a few kilobytes, not a full scan.
  const smallJpeg = await sharp(receiptImages[0]!).resize({ width: 48 }).jpeg({ quality: 60 }).toBuffer();
  const smallPng = await sharp(receiptImages[1]!).resize({ width: 32 }).png().toBuffer();
  const smallWebp = await sharp(receiptImages[2]!).resize({ width: 32 }).webp().toBuffer();
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
  const receiptSeeds = [smallJpeg, smallPng, smallWebp, pdf];
  const receiptTokens = ['\xff\xd8\xff', '\x89PNG\r\n\x1a\n', 'RIFF', 'WEBP', '%PDF-', '\xff\xff\xff\xff'];
  const mail = mailSeeds(html, smallPng);
  return [
    ...statementTargets(),
    ...iso8583Targets(),
    {
      name: 'mime-mail',
      entry: 'readReceiptMail (mailparser with the inbound limits)',
      seedFiles: mail.length,
      input: mutatedOrGenerated(mail, ['\r\n\r\n', '--outlay-fuzz-boundary', 'Content-Type: multipart/mixed; boundary="x"\r\n', '=?UTF-8?B?', '\u0000'], mailGenerated),
      run: (bytes) => readReceiptMail(bytes as Buffer, { envelopeSender: null, receivedAt: now, attachmentsMax: 10, mimePartsMax: 100 }),
      isOwnError: (error) => error instanceof UnreadableMessageError,
      share: 1,
    },
    { name: 'receipt-sniffing', entry: 'sniffMediaType', seedFiles: receiptSeeds.length + receiptImages.length, input: mutatedOrGenerated([...receiptSeeds, ...receiptImages.map((image) => image.subarray(0, 4096))], receiptTokens, fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes))), run: (bytes) => sniffMediaType(bytes as Buffer), isOwnError: () => false, share: 1 },
    // Each case decodes an image with sharp (libvips), some hundred times dearer than the other parsers.
    { name: 'receipt-file', entry: 'prepareReceiptFile (sniff, size check, strip, thumbnail)', seedFiles: receiptSeeds.length, input: mutationOf(receiptSeeds, receiptTokens), run: (bytes) => prepareReceiptFile(bytes as Buffer, 10 * 1024 * 1024), isOwnError: (error) => error instanceof DomainError, share: 0.1 },
    { name: 'controls-json', entry: 'parseCompleteControls', seedFiles: 0, input: fc.oneof(controlsGenerated, fc.string().map((text) => { try { return JSON.parse(text) as unknown; } catch { return text; } })), run: (input) => parseCompleteControls(input, walletAmounts('EUR')), isOwnError: (error) => error instanceof DomainError, share: 1 },
  ];
}
