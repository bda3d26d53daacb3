// The data elements of ISO 8583:1987 as Outlay reads and writes them: ASCII characters for
// every text field, raw bytes for binary ones. One row a field; the codec knows no field that
// is not here, because a field's length cannot be known without its row.
//
// Lengths count characters, except for type b, where they count bytes (the standard writes
// "b 64" for 64 bits: 8 bytes here). A variable field is preceded by its length in two
// (LLVAR) or three (LLLVAR) ASCII digits; for type b that prefix counts bytes too.

/**
 * n: digits. an: letters, digits and the space that pads fixed fields (37, 38, 39).
 * ans: printable ASCII. ns: digits and specials. z: track 2 characters (digits, the field
 * separator "=" or "D", the sentinels ";" and "?"). xn: "C" (credit) or "D" (debit) followed by
 * digits, the length counting the sign. b: bytes, written as upper-case hex in a message.
 */
export type FieldType = 'n' | 'an' | 'ans' | 'ns' | 'z' | 'xn' | 'b';
export type LengthKind = 'fixed' | 'llvar' | 'lllvar';

export interface FieldSpec {
  number: number;
  name: string;
  type: FieldType;
  length: LengthKind;
  /** The length of a fixed field, the largest length of a variable one (characters; bytes for b). */
  lengthMax: number;
}

type Row = [number, string, FieldType, LengthKind, number];

const rows: Row[] = [
  [2, 'Primary account number (PAN)', 'n', 'llvar', 19],
  [3, 'Processing code', 'n', 'fixed', 6],
  [4, 'Amount, transaction', 'n', 'fixed', 12],
  [5, 'Amount, settlement', 'n', 'fixed', 12],
  [6, 'Amount, cardholder billing', 'n', 'fixed', 12],
  [7, 'Transmission date and time (MMDDhhmmss, UTC)', 'n', 'fixed', 10],
  [8, 'Amount, cardholder billing fee', 'n', 'fixed', 8],
  [9, 'Conversion rate, settlement', 'n', 'fixed', 8],
  [10, 'Conversion rate, cardholder billing', 'n', 'fixed', 8],
  [11, 'System trace audit number (STAN)', 'n', 'fixed', 6],
  [12, 'Time, local transaction (hhmmss)', 'n', 'fixed', 6],
  [13, 'Date, local transaction (MMDD)', 'n', 'fixed', 4],
  [14, 'Date, expiration (YYMM)', 'n', 'fixed', 4],
  [15, 'Date, settlement (MMDD)', 'n', 'fixed', 4],
  [16, 'Date, conversion (MMDD)', 'n', 'fixed', 4],
  [17, 'Date, capture (MMDD)', 'n', 'fixed', 4],
  [18, 'Merchant type (ISO 18245 MCC)', 'n', 'fixed', 4],
  [19, 'Acquiring institution country code', 'n', 'fixed', 3],
  [20, 'PAN extended, country code', 'n', 'fixed', 3],
  [21, 'Forwarding institution country code', 'n', 'fixed', 3],
  [22, 'Point of service entry mode', 'n', 'fixed', 3],
  [23, 'Card sequence number', 'n', 'fixed', 3],
  [24, 'Network international identifier', 'n', 'fixed', 3],
  [25, 'Point of service condition code', 'n', 'fixed', 2],
  [26, 'Point of service PIN capture code', 'n', 'fixed', 2],
  [27, 'Authorization identification response length', 'n', 'fixed', 1],
  [28, 'Amount, transaction fee', 'xn', 'fixed', 9],
  [29, 'Amount, settlement fee', 'xn', 'fixed', 9],
  [30, 'Amount, transaction processing fee', 'xn', 'fixed', 9],
  [31, 'Amount, settlement processing fee', 'xn', 'fixed', 9],
  [32, 'Acquiring institution identification code', 'n', 'llvar', 11],
  [33, 'Forwarding institution identification code', 'n', 'llvar', 11],
  [34, 'Primary account number, extended', 'ns', 'llvar', 28],
  [35, 'Track 2 data', 'z', 'llvar', 37],
  [36, 'Track 3 data', 'n', 'lllvar', 104],
  [37, 'Retrieval reference number', 'an', 'fixed', 12],
  [38, 'Authorization identification response (approval code)', 'an', 'fixed', 6],
  [39, 'Response code', 'an', 'fixed', 2],
  [40, 'Service restriction code', 'an', 'fixed', 3],
  [41, 'Card acceptor terminal identification', 'ans', 'fixed', 8],
  [42, 'Card acceptor identification code (merchant id)', 'ans', 'fixed', 15],
  [43, 'Card acceptor name/location', 'ans', 'fixed', 40],
  // 1987 says "an" for 44-47, but track 1 separates its parts with "^" and networks put
  // specials in the others: read as printable ASCII, as implementations do.
  [44, 'Additional response data', 'ans', 'llvar', 25],
  [45, 'Track 1 data', 'ans', 'llvar', 76],
  [46, 'Additional data, ISO', 'ans', 'lllvar', 999],
  [47, 'Additional data, national', 'ans', 'lllvar', 999],
  [48, 'Additional data, private', 'ans', 'lllvar', 999],
  // ISO 8583:1987 allows "a or n": the ISO 4217 numeric code, or the alphabetic one.
  [49, 'Currency code, transaction', 'an', 'fixed', 3],
  [50, 'Currency code, settlement', 'an', 'fixed', 3],
  [51, 'Currency code, cardholder billing', 'an', 'fixed', 3],
  [52, 'Personal identification number (PIN) data', 'b', 'fixed', 8],
  [53, 'Security related control information', 'n', 'fixed', 16],
  [54, 'Additional amounts', 'an', 'lllvar', 120],
  // Reserved for ISO use in 1987; every network now carries EMV chip data (binary TLV) here.
  [55, 'ICC (chip) data', 'b', 'lllvar', 255],
  [56, 'Reserved for ISO use', 'ans', 'lllvar', 999],
  [57, 'Reserved for national use', 'ans', 'lllvar', 999],
  [58, 'Reserved for national use', 'ans', 'lllvar', 999],
  [59, 'Reserved for national use', 'ans', 'lllvar', 999],
  [60, 'Reserved for national use', 'ans', 'lllvar', 999],
  [61, 'Reserved for private use', 'ans', 'lllvar', 999],
  [62, 'Reserved for private use', 'ans', 'lllvar', 999],
  [63, 'Reserved for private use', 'ans', 'lllvar', 999],
  [64, 'Message authentication code (MAC)', 'b', 'fixed', 8],
  // 65 would announce a tertiary bitmap: the codec refuses it rather than guess.
  [66, 'Settlement code', 'n', 'fixed', 1],
  [67, 'Extended payment code', 'n', 'fixed', 2],
  [68, 'Receiving institution country code', 'n', 'fixed', 3],
  [69, 'Settlement institution country code', 'n', 'fixed', 3],
  [70, 'Network management information code', 'n', 'fixed', 3],
  [71, 'Message number', 'n', 'fixed', 4],
  [72, 'Message number, last', 'n', 'fixed', 4],
  [73, 'Date, action (YYMMDD)', 'n', 'fixed', 6],
  [74, 'Credits, number', 'n', 'fixed', 10],
  [75, 'Credits, reversal number', 'n', 'fixed', 10],
  [76, 'Debits, number', 'n', 'fixed', 10],
  [77, 'Debits, reversal number', 'n', 'fixed', 10],
  [78, 'Transfers, number', 'n', 'fixed', 10],
  [79, 'Transfers, reversal number', 'n', 'fixed', 10],
  [80, 'Inquiries, number', 'n', 'fixed', 10],
  [81, 'Authorizations, number', 'n', 'fixed', 10],
  [82, 'Credits, processing fee amount', 'n', 'fixed', 12],
  [83, 'Credits, transaction fee amount', 'n', 'fixed', 12],
  [84, 'Debits, processing fee amount', 'n', 'fixed', 12],
  [85, 'Debits, transaction fee amount', 'n', 'fixed', 12],
  [86, 'Credits, amount', 'n', 'fixed', 16],
  [87, 'Credits, reversal amount', 'n', 'fixed', 16],
  [88, 'Debits, amount', 'n', 'fixed', 16],
  [89, 'Debits, reversal amount', 'n', 'fixed', 16],
  [90, 'Original data elements', 'n', 'fixed', 42],
  [91, 'File update code', 'an', 'fixed', 1],
  [92, 'File security code', 'an', 'fixed', 2],
  [93, 'Response indicator', 'an', 'fixed', 5],
  [94, 'Service indicator', 'an', 'fixed', 7],
  [95, 'Replacement amounts', 'an', 'fixed', 42],
  [96, 'Message security code', 'b', 'fixed', 8],
  [97, 'Amount, net settlement', 'xn', 'fixed', 17],
  [98, 'Payee', 'ans', 'fixed', 25],
  [99, 'Settlement institution identification code', 'n', 'llvar', 11],
  [100, 'Receiving institution identification code', 'n', 'llvar', 11],
  [101, 'File name', 'ans', 'llvar', 17],
  [102, 'Account identification 1', 'ans', 'llvar', 28],
  [103, 'Account identification 2', 'ans', 'llvar', 28],
  [104, 'Transaction description', 'ans', 'lllvar', 100],
  ...reserved(105, 111, 'Reserved for ISO use'),
  ...reserved(112, 119, 'Reserved for national use'),
  ...reserved(120, 127, 'Reserved for private use'),
  [128, 'Message authentication code (MAC)', 'b', 'fixed', 8],
];

function reserved(from: number, to: number, name: string): Row[] {
  return Array.from({ length: to - from + 1 }, (_, i): Row => [from + i, name, 'ans', 'lllvar', 999]);
}

export const fieldSpecs: ReadonlyMap<number, FieldSpec> = new Map(
  rows.map(([number, name, type, length, lengthMax]) => [number, { number, name, type, length, lengthMax }]),
);

/** The digits of a variable field's length prefix. */
export function lengthPrefixDigits(length: LengthKind): number {
  return length === 'llvar' ? 2 : length === 'lllvar' ? 3 : 0;
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isPrintable = (code: number) => code >= 0x20 && code <= 0x7e;
const charTests: Record<Exclude<FieldType, 'b' | 'xn'>, (code: number) => boolean> = {
  n: isDigit,
  an: (code) => isDigit(code) || isLetter(code) || code === 0x20,
  ans: isPrintable,
  ns: (code) => isPrintable(code) && !isLetter(code),
  z: (code) => isDigit(code) || code === 0x3d /* = */ || code === 0x44 /* D */ || code === 0x3b /* ; */ || code === 0x3f /* ? */,
};

/** The position of the first character `type` does not allow in `value`, or -1 when all fit. */
export function firstMisfit(type: Exclude<FieldType, 'b'>, value: string): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const fits = type === 'xn' ? (i === 0 ? code === 0x43 /* C */ || code === 0x44 /* D */ : isDigit(code)) : charTests[type](code);
    if (!fits) return i;
  }
  return -1;
}

/** What a field of `type` may hold, in words for an error message. */
export function typeDescription(type: FieldType): string {
  const words: Record<FieldType, string> = {
    n: 'digits',
    an: 'letters, digits and spaces',
    ans: 'printable ASCII',
    ns: 'digits and special characters',
    z: 'track 2 characters',
    xn: '"C" or "D" followed by digits',
    b: 'bytes',
  };
  return words[type];
}
