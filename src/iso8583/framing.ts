// Messages on a TCP stream: each one behind a 2-byte big-endian header giving its length in
// bytes, header excluded (the framing most networks and host-to-host links use). TCP keeps no
// message boundaries, so the decoder reassembles messages split across reads and splits reads
// that carry several (pipelining).

export const lengthHeaderBytes = 2;
/** The most a 2-byte header can state. */
export const headerLengthMax = 0xffff;

/** A header stating more than the receiver takes: what follows cannot be told apart from the rest of the stream. */
export class FrameTooLargeError extends Error {
  constructor(
    readonly length: number,
    readonly frameBytesMax: number,
  ) {
    super(`a length header states ${length} bytes, more than the ${frameBytesMax} taken`);
    this.name = 'FrameTooLargeError';
  }
}

/** The message behind its length header. */
export function frameMessage(message: Uint8Array): Buffer {
  if (message.length > headerLengthMax) throw new RangeError(`a framed message has at most ${headerLengthMax} bytes, not ${message.length}`);
  const header = Buffer.alloc(lengthHeaderBytes);
  header.writeUInt16BE(message.length, 0);
  return Buffer.concat([header, message]);
}

export interface FrameBatch {
  /** The whole messages completed by this read, in order, headers removed; a header of 0 gives an empty one. */
  frames: Buffer[];
  /** Set once, when a header stated too much; the decoder takes nothing after it. */
  error: FrameTooLargeError | null;
}

export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(readonly frameBytesMax: number) {
    if (!Number.isInteger(frameBytesMax) || frameBytesMax < 1 || frameBytesMax > headerLengthMax) {
      throw new RangeError(`frameBytesMax is between 1 and ${headerLengthMax}, not ${frameBytesMax}`);
    }
  }

  /** Bytes of a message not yet complete (never more than a header and frameBytesMax). */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): FrameBatch {
    if (this.failed) return { frames: [], error: null };
    let data = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (data.length >= lengthHeaderBytes) {
      const length = data.readUInt16BE(0);
      if (length > this.frameBytesMax) {
        this.failed = true;
        this.pending = Buffer.alloc(0);
        return { frames, error: new FrameTooLargeError(length, this.frameBytesMax) };
      }
      if (data.length < lengthHeaderBytes + length) break;
      // A copy, so a frame kept by its reader does not pin the whole read buffer.
      frames.push(Buffer.from(data.subarray(lengthHeaderBytes, lengthHeaderBytes + length)));
      data = data.subarray(lengthHeaderBytes + length);
    }
    this.pending = Buffer.from(data);
    return { frames, error: null };
  }
}
