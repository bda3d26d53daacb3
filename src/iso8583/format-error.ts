import type { Iso8583Message } from './message.js';

/** Field numbers the error names besides the data elements: the MTI and the bitmaps. */
export const mtiField = 0;
export const bitmapField = 1;

/**
 * A message that does not follow the format, saying where: the byte offset from the start of
 * the message (after any length header), the field (0 for the MTI, 1 for the bitmaps) and what
 * was wrong. ISO 8583 field 39 answers such a message with "30", format error.
 */
export class Iso8583FormatError extends Error {
  constructor(
    readonly offset: number,
    readonly field: number,
    readonly reason: string,
    /**
     * What could be read before the fault: the MTI and the fields ahead of the bad one, so an
     * answer can echo the trace number. Null when not even the MTI was readable.
     */
    readonly partial: Iso8583Message | null = null,
  ) {
    super(`${field === mtiField ? 'MTI' : field === bitmapField ? 'bitmap' : `field ${field}`} at byte ${offset}: ${reason}`);
    this.name = 'Iso8583FormatError';
  }

  /** The MTI, when it could be read. */
  get mti(): string | null {
    return this.partial?.mti ?? null;
  }
}
