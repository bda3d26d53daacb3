// One TCP connection of the gateway: framing, one answer per request in request order, and
// the limits that keep one misbehaving peer from holding the gateway: pipelined requests in
// flight, format errors, silence (before the first byte, and once established), a message
// started and not finished, and how long a handler may take.
import type { Socket } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { iso8583Metrics } from '../observability/metrics.js';
import { inSpan } from '../observability/tracing.js';
import { decodeMessage, encodeMessage } from './codec.js';
import type { Iso8583FormatError } from './format-error.js';
import { FrameDecoder, frameMessage } from './framing.js';
import { responseMtiOf, type Iso8583Message } from './message.js';
import { responseCodes, type ResponseCode } from './response-codes.js';
import { responseTo } from './responses.js';

export interface Iso8583Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ConnectionInfo {
  id: string;
  remoteAddress: string;
}

/** Answers one request. Throwing (or taking too long) answers it with a system error instead. */
export type Iso8583Handler = (request: Iso8583Message, connection: ConnectionInfo) => Promise<Iso8583Message>;

export interface GatewayLimits {
  connectionsMax: number;
  /** Connections one peer address may hold at once: a peer that opens too many cannot lock others out. */
  connectionsPerPeerMax: number;
  /** Largest message a length header may announce, header excluded. */
  frameBytesMax: number;
  /** How long a connection may pass without a whole message in or an answer out before it is closed. */
  idleTimeoutMs: number;
  /** How long a new connection may stay silent before its first byte: shorter than the idle timeout of an established peer. */
  firstByteTimeoutMs: number;
  /** How long a message may take to arrive once its first byte (of the length header) has. */
  frameTimeoutMs: number;
  /** How long the handler may take before the request is answered "91, issuer unavailable". */
  handlerTimeoutMs: number;
  /** Requests of one connection in flight at once; past it the connection is not read until answers go out. */
  pipelinedMax: number;
  /** Malformed messages one connection may send before it is closed. */
  formatErrorsMax: number;
  /** How long close() lets connections finish their answers before it cuts them. */
  closeTimeoutMs: number;
}

interface Slot {
  bytes: Buffer | null;
  done: boolean;
}

interface ConnectionContext {
  handler: Iso8583Handler;
  logger: Iso8583Logger;
  limits: GatewayLimits;
}

/** Identifies a message in the log without its PAN or amounts: MTI and trace number. */
const describe = (message: Iso8583Message) => ({ mti: message.mti, stan: message.fields[11] ?? null });

export class GatewayConnection {
  private readonly decoder: FrameDecoder;
  private readonly answers: Slot[] = [];
  private formatErrors = 0;
  /** Set once no further request is read: the answers owed go out, then the connection ends. */
  private ending: string | null = null;
  private awaitingDrain = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private firstByteTimer: NodeJS.Timeout | null = null;
  private frameTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly context: ConnectionContext,
  ) {
    this.decoder = new FrameDecoder(context.limits.frameBytesMax);
  }

  start(): void {
    const { socket } = this;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => {
      this.awaitingDrain = false;
      this.updateReading();
    });
    socket.on('end', () => this.end('peer ended the connection'));
    socket.on('error', (error) => this.context.logger.warn({ err: error, ...this.info }, 'ISO 8583 connection failed'));
    socket.on('close', () => {
      this.clearIdle();
      this.clearTimer('firstByteTimer');
      this.clearTimer('frameTimer');
    });
    this.armIdle();
    this.firstByteTimer = setTimeout(() => this.closeLate('ISO 8583 connection closed: nothing sent since it opened', { firstByteTimeoutMs: this.context.limits.firstByteTimeoutMs }), this.context.limits.firstByteTimeoutMs);
  }

  /** Stops reading requests; the connection ends once the answers owed are written. */
  end(reason: string): void {
    if (this.ending) return;
    this.ending = reason;
    this.updateReading();
    this.flush();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.clearTimer('firstByteTimer');
    if (this.ending) return;
    const batch = this.decoder.push(chunk);
    this.timeFrame(batch.frames.length > 0);
    for (const frame of batch.frames) {
      if (this.ending) return;
      this.accept(frame);
    }
    if (batch.error) {
      iso8583Metrics.formatError();
      this.context.logger.warn({ ...this.info, length: batch.error.length, frameBytesMax: batch.error.frameBytesMax }, 'ISO 8583 connection closed: a length header states more than the maximum');
      this.end('frame too large');
    }
  }

  private accept(frame: Buffer): void {
    this.armIdle();
    const decoded = decodeMessage(frame);
    if (!decoded.ok) {
      this.refuse(decoded.error);
      return;
    }
    const request = decoded.message;
    if (!responseMtiOf(request.mti)) {
      // An answer, but the gateway asks nothing: there is no request it could belong to.
      this.context.logger.warn({ ...this.info, ...describe(request) }, 'ISO 8583 message that is itself an answer ignored');
      return;
    }
    this.enqueue(this.traced(request));
  }

  /** A span per message, named by its MTI, with the response code the answer carries (field 39). */
  private traced(request: Iso8583Message): Promise<Buffer | null> {
    const attributes = { 'iso8583.mti': request.mti, 'iso8583.stan': request.fields[11] ?? '', 'iso8583.connection': this.info.id };
    return inSpan(`iso8583 ${request.mti}`, { kind: SpanKind.SERVER, attributes }, (span) =>
      this.answer(request, (responseCode) => {
        span?.setAttribute('iso8583.response_code', responseCode);
        iso8583Metrics.answered(request.mti, responseCode);
      }),
    );
  }

  private refuse(error: Iso8583FormatError): void {
    const { logger, limits } = this.context;
    this.formatErrors++;
    iso8583Metrics.formatError();
    const answer = error.partial ? responseTo(error.partial, responseCodes.formatError) : null;
    logger.warn({ ...this.info, mti: error.mti, offset: error.offset, field: error.field, reason: error.reason, answered: answer !== null }, 'ISO 8583 message malformed');
    if (!answer) {
      this.end('message unreadable');
      return;
    }
    this.enqueue(Promise.resolve(frameMessage(encodeMessage(answer))));
    if (this.formatErrors >= limits.formatErrorsMax) {
      logger.warn({ ...this.info, formatErrors: this.formatErrors }, 'ISO 8583 connection closed after too many malformed messages');
      this.end('too many format errors');
    }
  }

  private async answer(request: Iso8583Message, answered: (responseCode: string) => void): Promise<Buffer | null> {
    const { handler, logger, limits } = this.context;
    const fallback = (code: ResponseCode) => {
      const response = responseTo(request, code);
      answered(code);
      return response ? frameMessage(encodeMessage(response)) : null;
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limits.handlerTimeoutMs);
    });
    try {
      const response = await Promise.race([Promise.resolve().then(() => handler(request, this.info)), timeout]);
      if (response === 'timeout') {
        logger.error({ ...this.info, ...describe(request), timeoutMs: limits.handlerTimeoutMs }, 'ISO 8583 request not answered in time');
        return fallback(responseCodes.issuerUnavailable);
      }
      const framed = frameMessage(encodeMessage(response));
      answered(response.fields[39] ?? '');
      return framed;
    } catch (error) {
      logger.error({ err: error, ...this.info, ...describe(request) }, 'ISO 8583 request failed');
      return fallback(responseCodes.systemMalfunction);
    } finally {
      clearTimeout(timer);
    }
  }

  private enqueue(answer: Promise<Buffer | null>): void {
    const slot: Slot = { bytes: null, done: false };
    this.answers.push(slot);
    this.updateReading();
    void answer.then(
      (bytes) => Object.assign(slot, { bytes, done: true }),
      // answer() catches its own failures; this is the framing of a fallback going wrong.
      (error: unknown) => {
        this.context.logger.error({ err: error, ...this.info }, 'ISO 8583 answer could not be written');
        Object.assign(slot, { bytes: null, done: true });
      },
    ).then(() => this.flush());
  }

  /** Writes the answers that are ready, in request order; ends the connection when it owes none and should end. */
  private flush(): void {
    while (this.answers[0]?.done) {
      const { bytes } = this.answers.shift()!;
      if (bytes && !this.socket.destroyed) {
        if (!this.socket.write(bytes)) this.awaitingDrain = true;
        this.armIdle();
      }
    }
    if (this.ending && this.answers.length === 0 && !this.socket.destroyed) this.socket.end();
    this.updateReading();
  }

  private updateReading(): void {
    const read = !this.ending && !this.awaitingDrain && this.answers.length < this.context.limits.pipelinedMax;
    if (read && this.socket.isPaused()) this.socket.resume();
    else if (!read && !this.socket.isPaused()) this.socket.pause();
  }

  /**
   * The idle clock restarts on a whole message, not on every byte, so a peer trickling a
   * message byte by byte (slowloris) is closed as if silent. Answers still owed keep it open.
   */
  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => {
      if (this.answers.length > 0) {
        this.armIdle();
        return;
      }
      this.context.logger.warn({ ...this.info, idleTimeoutMs: this.context.limits.idleTimeoutMs, bufferedBytes: this.decoder.bufferedBytes }, 'ISO 8583 connection closed after being idle');
      this.socket.destroy();
    }, this.context.limits.idleTimeoutMs);
  }

  /**
   * A message whose first byte arrived must arrive whole within frameTimeoutMs: a peer that
   * sends a length header and then little or nothing holds a connection without ever being
   * idle long enough to count as silent. The clock starts with a message's first byte.
   */
  private timeFrame(completedOne: boolean): void {
    if (completedOne) this.clearTimer('frameTimer');
    if (this.decoder.bufferedBytes === 0) {
      this.clearTimer('frameTimer');
      return;
    }
    if (this.frameTimer) return;
    const { frameTimeoutMs } = this.context.limits;
    this.frameTimer = setTimeout(() => this.closeLate('ISO 8583 connection closed: a message was not completed in time', { frameTimeoutMs, bufferedBytes: this.decoder.bufferedBytes }), frameTimeoutMs);
  }

  /** Closes a connection that missed a deadline: at once, or once it has written the answers it owes. */
  private closeLate(message: string, fields: object): void {
    this.context.logger.warn({ ...this.info, ...fields }, message);
    if (this.answers.length === 0) this.socket.destroy();
    else this.end(message);
  }

  private clearTimer(name: 'firstByteTimer' | 'frameTimer'): void {
    const timer = this[name];
    if (timer) clearTimeout(timer);
    this[name] = null;
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
