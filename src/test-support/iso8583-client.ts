// The acquirer's side of a link, as the tests play it against the gateway: sends framed messages
// and takes the answers in the order they arrive (the gateway answers in request order).
import net from 'node:net';
import { decodeMessage, encodeMessage, type DecodeResult } from '../iso8583/codec.js';
import { FrameDecoder, frameMessage, headerLengthMax } from '../iso8583/framing.js';
import type { Iso8583Message } from '../iso8583/message.js';

export const clientResponseTimeoutMs = 10_000;

export class ConnectionClosedError extends Error {
  constructor() {
    super('the ISO 8583 connection closed before an answer came');
    this.name = 'ConnectionClosedError';
  }
}

interface Waiter {
  resolve(result: DecodeResult): void;
  reject(error: Error): void;
}

export class Iso8583Client {
  private readonly decoder = new FrameDecoder(headerLengthMax);
  private readonly received: DecodeResult[] = [];
  private readonly waiters: Waiter[] = [];
  private isClosed = false;
  /** Settles when the other side (or this one) closes the connection. */
  readonly closed: Promise<void>;

  private constructor(
    readonly socket: net.Socket,
    private readonly responseTimeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk).frames) this.deliver(decodeMessage(frame));
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        for (const waiter of this.waiters.splice(0)) waiter.reject(new ConnectionClosedError());
        resolve();
      });
    });
  }

  /** `localAddress` makes the connection come from another peer address (127.0.0.2, ...: all of 127/8 is loopback on Linux). */
  static connect(host: string, port: number, responseTimeoutMs = clientResponseTimeoutMs, options: { localAddress?: string } = {}): Promise<Iso8583Client> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Iso8583Client(socket, responseTimeoutMs));
      });
    });
  }

  /** Sends a message and waits for the next answer. */
  async request(message: Iso8583Message): Promise<Iso8583Message> {
    this.send(message);
    return this.nextMessage();
  }

  send(message: Iso8583Message): void {
    this.sendBytes(frameMessage(encodeMessage(message)));
  }

  /** Bytes as given, no framing added: for what a well-behaved acquirer would never send. */
  sendBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next answer, however it decodes. */
  next(): Promise<DecodeResult> {
    const ready = this.received.shift();
    if (ready) return Promise.resolve(ready);
    if (this.isClosed) return Promise.reject(new ConnectionClosedError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new Error(`no ISO 8583 answer within ${this.responseTimeoutMs} ms`));
      }, this.responseTimeoutMs);
      const waiter: Waiter = {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The next answer, which must be a well-formed message. */
  async nextMessage(): Promise<Iso8583Message> {
    const result = await this.next();
    if (!result.ok) throw result.error;
    return result.message;
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }

  private deliver(result: DecodeResult): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(result);
    else this.received.push(result);
  }
}
