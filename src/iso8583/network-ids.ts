// The network ids Outlay's engine deduplicates on, made from what identifies a transaction in
// ISO 8583: acquirer (field 32), transmission date and time (7, with its year made explicit),
// trace number (11) and retrieval reference number (37). A repeat of a message carries the
// same four and gets the same id, so it gets the first answer and changes nothing.
import { fullTimestamp } from './transmission-time.js';

export interface TransactionKey {
  /** Field 32, or the acquirer part of field 90. */
  acquirer: string;
  transmittedAt: Date;
  stan: string;
  retrievalReference: string;
}

/** Field 32 is LLVAR and field 90 pads the same id to 11 digits with zeros: both read alike. */
function normaliseInstitution(id: string): string {
  return id.replace(/^0+/, '') || '0';
}

function keyText(key: TransactionKey): string {
  return [normaliseInstitution(key.acquirer), fullTimestamp(key.transmittedAt), key.stan, key.retrievalReference.trim()].join(':');
}

/** The id of an authorization (0100) or its advice (0120): both name one transaction. */
export function authorizationNetworkId(key: TransactionKey): string {
  return `iso8583:${keyText(key)}`;
}

/** The id of a reversal message itself (0400, 0420 and their repeats). */
export function reversalMessageId(key: TransactionKey): string {
  return `iso8583-reversal:${keyText(key)}`;
}

/** Field 90, original data elements (n 42): what identified the message a reversal is about. */
export interface OriginalDataElements {
  mti: string;
  stan: string;
  /** MMDDhhmmss, as in the original's field 7. */
  transmission: string;
  acquirer: string;
  forwarder: string;
}

export function readOriginalDataElements(field90: string): OriginalDataElements {
  return {
    mti: field90.slice(0, 4),
    stan: field90.slice(4, 10),
    transmission: field90.slice(10, 20),
    acquirer: field90.slice(20, 31),
    forwarder: field90.slice(31, 42),
  };
}

export function originalDataElementsField(original: OriginalDataElements): string {
  return original.mti + original.stan + original.transmission + original.acquirer.padStart(11, '0') + original.forwarder.padStart(11, '0');
}
