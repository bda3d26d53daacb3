// One ISO 8583:1987 message as the rest of Outlay sees it: the message type indicator and the
// data elements by number. The bitmaps are the codec's business and never appear here.

export interface Iso8583Message {
  /** Message type indicator: version 0 (1987), class, function, origin; e.g. "0100". */
  mti: string;
  /** Data elements 2-128 as their ASCII text; binary (type b) ones as upper-case hex. */
  fields: Readonly<Record<number, string>>;
}

const mtiPattern = /^0\d{3}$/;

export function isMti(value: string): boolean {
  return mtiPattern.test(value);
}

/**
 * The MTI of the answer to a request (function 0), an advice (2) or a notification (4): the
 * function digit plus one, the origin reset to the acquirer, so 0100 -> 0110, 0401 (a repeat)
 * -> 0410, 0421 -> 0430. Null for a message that is itself an answer: nobody answers those.
 */
export function responseMtiOf(mti: string): string | null {
  if (!isMti(mti)) return null;
  const fn = mti[2];
  if (fn !== '0' && fn !== '2' && fn !== '4') return null;
  return `${mti.slice(0, 2)}${Number(fn) + 1}0`;
}

/** Request MTI without its repeat digit: 0401 and 0400 are one kind of message. */
export function withoutRepeat(mti: string): string {
  return mti[3] === '1' ? `${mti.slice(0, 3)}0` : mti[3] === '3' ? `${mti.slice(0, 3)}2` : mti;
}
