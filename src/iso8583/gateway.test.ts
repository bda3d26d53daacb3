// The gateway over real TCP with a handler in memory: framing, pipelining, the limits, and
// every kind of malformed input, each followed by a connection that is still served.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Iso8583Client } from '../test-support/iso8583-client.js';
import { encodeMessage } from './codec.js';
import { frameMessage } from './framing.js';
import { peerAddressOf, startIso8583Gateway, type GatewayLimits, type Iso8583Gateway, type Iso8583Handler, type Iso8583Logger } from './gateway.js';
import type { Iso8583Message } from './message.js';
import { responseTo } from './responses.js';

class RecordingLogger implements Iso8583Logger {
  readonly entries: { level: 'info' | 'warn' | 'error'; fields: Record<string, unknown>; message: string }[] = [];
  info(fields: object, message: string) {
    this.entries.push({ level: 'info', fields: fields as Record<string, unknown>, message });
  }
  warn(fields: object, message: string) {
    this.entries.push({ level: 'warn', fields: fields as Record<string, unknown>, message });
  }
  error(fields: object, message: string) {
    this.entries.push({ level: 'error', fields: fields as Record<string, unknown>, message });
  }
  warnings(): string[] {
    return this.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
  }
}

const stan = (n: number) => String(n).padStart(6, '0');
const authorization = (n: number, extra: Record<number, string> = {}): Iso8583Message => ({
  mti: '0100',
  fields: { 2: '4000001234567899', 3: '000000', 4: '000000001250', 7: '1120100000', 11: stan(n), 37: `RRN${stan(n)}000`, 49: '978', ...extra },
});

/**
 * Approves everything, answering with the trace number; amounts ending in 9 fail, a PAN of
 * nines never answers, and a request's field 48 says how many milliseconds to take first.
 */
const handler: Iso8583Handler = async (request) => {
  const delayMs = Number(request.fields[48] ?? 0);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (request.fields[2] === '9999999999999999') return new Promise<Iso8583Message>(() => {});
  if (request.fields[4]?.endsWith('9')) throw new Error('the handler failed');
  if (request.fields[4] === '000000000008') return { mti: '0110', fields: { 39: 'not two characters' } };
  return responseTo(request, '00', request.mti === '0100' ? { 38: 'A00001' } : {})!;
};

let gateway: Iso8583Gateway | undefined;
let logger: RecordingLogger;
const clients: Iso8583Client[] = [];

async function start(limits: Partial<GatewayLimits> = {}, allowedPeers: readonly string[] | null = null) {
  logger = new RecordingLogger();
  gateway = await startIso8583Gateway({ host: '127.0.0.1', port: 0, handler, logger, limits: { handlerTimeoutMs: 2_000, ...limits }, allowedPeers });
  return gateway;
}

/** A connection from `from`: every address of 127/8 is this machine, and a peer of its own to the gateway. */
async function connect(from = '127.0.0.1'): Promise<Iso8583Client> {
  const client = await Iso8583Client.connect('127.0.0.1', gateway!.port, undefined, { localAddress: from });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await gateway?.close();
  gateway = undefined;
});

/** After any fault: a new connection is answered as if nothing had happened. */
async function expectStillServing() {
  const client = await connect();
  const answer = await client.request(authorization(999));
  expect(answer).toMatchObject({ mti: '0110', fields: { 11: '000999', 39: '00', 38: 'A00001' } });
  await client.close();
}

async function until(condition: () => boolean, timeoutMs = 5_000) {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() - started > timeoutMs) throw new Error('the condition did not come true');
  }
}

const header = (length: number) => Buffer.from([length >> 8, length & 0xff]);

describe('ISO 8583 gateway', () => {
  it('answers an authorization and an echo test on one connection', async () => {
    await start();
    const client = await connect();
    expect(await client.request(authorization(1))).toEqual({
      mti: '0110',
      fields: { 2: '4000001234567899', 3: '000000', 4: '000000001250', 7: '1120100000', 11: '000001', 37: 'RRN000001000', 38: 'A00001', 39: '00', 49: '978' },
    });
    expect(await client.request({ mti: '0800', fields: { 7: '1120100000', 11: '000002', 70: '301' } })).toEqual({ mti: '0810', fields: { 7: '1120100000', 11: '000002', 39: '00', 70: '301' } });
  });

  it('answers pipelined requests in request order, even when later ones finish first', async () => {
    await start();
    const client = await connect();
    const requests = Array.from({ length: 10 }, (_, i) => authorization(i + 1, { 48: String((10 - i) * 5).padStart(3, '0') }));
    client.sendBytes(Buffer.concat(requests.map((request) => frameMessage(encodeMessage(request)))));
    const answers = [];
    for (let i = 0; i < requests.length; i++) answers.push(await client.nextMessage());
    expect(answers.map((answer) => answer.fields[11])).toEqual(requests.map((request) => request.fields[11]));
  });

  it('serves 50 connections at once, each pipelining 8 requests', async () => {
    // All from one address here, which the per-peer limit would otherwise cut at its default.
    await start({ connectionsPerPeerMax: 50 });
    const all = await Promise.all(Array.from({ length: 50 }, () => connect()));
    const answers = await Promise.all(
      all.map(async (client, c) => {
        const requests = Array.from({ length: 8 }, (_, i) => authorization(c * 100 + i));
        for (const request of requests) client.send(request);
        const got = [];
        for (let i = 0; i < requests.length; i++) got.push((await client.nextMessage()).fields[11]);
        return { got, sent: requests.map((request) => request.fields[11]) };
      }),
    );
    for (const { got, sent } of answers) expect(got).toEqual(sent);
  });

  it('answers a handler failure with 96, a handler that hangs with 91, and an unwritable answer with 96', async () => {
    await start({ handlerTimeoutMs: 50 });
    const client = await connect();
    expect((await client.request(authorization(1, { 4: '000000001259' }))).fields).toMatchObject({ 11: '000001', 39: '96' });
    expect((await client.request(authorization(2, { 2: '9999999999999999' }))).fields).toMatchObject({ 11: '000002', 39: '91' });
    expect((await client.request(authorization(3, { 4: '000000000008' }))).fields).toMatchObject({ 11: '000003', 39: '96' });
    expect(logger.entries.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([
      'ISO 8583 request failed',
      'ISO 8583 request not answered in time',
      'ISO 8583 request failed',
    ]);
    expect((await client.request(authorization(4))).fields[39]).toBe('00');
  });

  it('ignores a message that is itself an answer and serves the next request', async () => {
    await start();
    const client = await connect();
    client.send({ mti: '0110', fields: { 11: '000001', 39: '00' } });
    expect((await client.request(authorization(2))).fields[11]).toBe('000002');
    expect(logger.warnings()).toContain('ISO 8583 message that is itself an answer ignored');
  });

  it('lets a connection finish the answers it owes when the gateway closes', async () => {
    await start();
    const client = await connect();
    client.send(authorization(1, { 48: '100' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = gateway!.close();
    expect((await client.nextMessage()).fields[11]).toBe('000001');
    await client.closed;
    await closing;
  });
});

describe('ISO 8583 gateway with malformed input', () => {
  it('answers a bad numeric field with a format error (30) echoing the trace number, and keeps the connection', async () => {
    await start();
    const client = await connect();
    const bytes = encodeMessage(authorization(7));
    const at = bytes.indexOf(Buffer.from('000000001250'));
    bytes.write('00000000I250', at, 'latin1');
    client.sendBytes(frameMessage(bytes));
    const answer = await client.nextMessage();
    expect(answer).toEqual({ mti: '0110', fields: { 2: '4000001234567899', 3: '000000', 39: '30' } });
    expect((await client.request(authorization(8))).fields[39]).toBe('00');
    const warning = logger.entries.find((entry) => entry.message === 'ISO 8583 message malformed');
    expect(warning?.fields).toMatchObject({ mti: '0100', field: 4, offset: at + 8, answered: true });
    await expectStillServing();
  });

  it('answers a truncated message (its last field cut short) with 30', async () => {
    await start();
    const client = await connect();
    const bytes = encodeMessage({ mti: '0400', fields: { 11: '000009', 90: '0100'.padEnd(42, '0') } });
    client.sendBytes(frameMessage(bytes.subarray(0, bytes.length - 5)));
    expect(await client.nextMessage()).toEqual({ mti: '0410', fields: { 11: '000009', 39: '30' } });
    await expectStillServing();
  });

  it('answers a bitmap announcing fields that are not there, or a tertiary bitmap, with 30', async () => {
    await start();
    const client = await connect();
    const announcesMore = Buffer.concat([Buffer.from('0800'), Buffer.from('0020000000000001', 'hex'), Buffer.from('000001')]);
    client.sendBytes(frameMessage(announcesMore));
    expect(await client.nextMessage()).toEqual({ mti: '0810', fields: { 11: '000001', 39: '30' } });
    const tertiary = Buffer.concat([Buffer.from('0800'), Buffer.from('8000000000000000' + '8000000000000000', 'hex')]);
    client.sendBytes(frameMessage(tertiary));
    expect(await client.nextMessage()).toEqual({ mti: '0810', fields: { 39: '30' } });
    await expectStillServing();
  });

  it('closes the connection when not even the MTI can be read: garbage inside a frame', async () => {
    await start();
    const client = await connect();
    client.send(authorization(1, { 48: '050' }));
    client.sendBytes(frameMessage(Buffer.from('\x00\xffgarbage\x13\x37', 'latin1')));
    expect((await client.nextMessage()).fields[11]).toBe('000001');
    await client.closed;
    expect(logger.entries.find((entry) => entry.message === 'ISO 8583 message malformed')?.fields).toMatchObject({ mti: null, field: 0, answered: false });
    await expectStillServing();
  });

  it('closes the connection on garbage that is not framed at all (an HTTP request)', async () => {
    await start();
    const client = await connect();
    client.sendBytes(Buffer.from('GET / HTTP/1.1\r\nHost: outlay\r\n\r\n'));
    await client.closed;
    expect(logger.warnings()).toContain('ISO 8583 connection closed: a length header states more than the maximum');
    await expectStillServing();
  });

  it('closes the connection on a zero length header', async () => {
    await start();
    const client = await connect();
    client.sendBytes(header(0));
    await client.closed;
    await expectStillServing();
  });

  it('closes the connection on a frame larger than the maximum without reading it', async () => {
    await start({ frameBytesMax: 512 });
    const client = await connect();
    client.sendBytes(Buffer.concat([header(600), Buffer.alloc(600, 0x30)]));
    await client.closed;
    expect(logger.entries.find((entry) => entry.message.includes('length header'))?.fields).toMatchObject({ length: 600, frameBytesMax: 512 });
    await expectStillServing();
  });

  it('closes a connection after too many malformed messages', async () => {
    await start({ formatErrorsMax: 3 });
    const client = await connect();
    const bad = frameMessage(Buffer.from('0800' + '\x00\x20\x00\x00\x00\x00\x00\x00' + '00000X', 'latin1'));
    for (let i = 0; i < 5; i++) client.sendBytes(bad);
    for (let i = 0; i < 3; i++) expect((await client.nextMessage()).fields[39]).toBe('30');
    await client.closed;
    expect(logger.warnings()).toContain('ISO 8583 connection closed after too many malformed messages');
    await expectStillServing();
  });

  it('closes a silent connection after the idle timeout', async () => {
    await start({ idleTimeoutMs: 100 });
    const client = await connect();
    await client.closed;
    expect(logger.warnings()).toContain('ISO 8583 connection closed after being idle');
    await expectStillServing();
  });

  it('closes a slowloris connection that trickles a message byte by byte', async () => {
    await start({ idleTimeoutMs: 150 });
    const client = await connect();
    const bytes = frameMessage(encodeMessage(authorization(1)));
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < bytes.length && !client.socket.destroyed) client.sendBytes(bytes.subarray(sent, ++sent));
    }, 10);
    await client.closed;
    clearInterval(trickle);
    expect(sent).toBeLessThan(bytes.length);
    const idle = logger.entries.find((entry) => entry.message === 'ISO 8583 connection closed after being idle');
    expect(idle?.fields.bufferedBytes).toBeGreaterThan(0);
    await expectStillServing();
  });

  it('refuses connections beyond the limit and serves the ones it holds', async () => {
    await start({ connectionsMax: 3 });
    const held = await Promise.all([connect(), connect(), connect()]);
    for (const client of held) expect((await client.request(authorization(1))).fields[39]).toBe('00');
    const extra = await connect();
    await extra.closed;
    expect(logger.warnings()).toContain('ISO 8583 connection refused');
    expect((await held[0]!.request(authorization(2))).fields[39]).toBe('00');
    await held[1]!.close();
    await until(() => logger.entries.filter((entry) => entry.message === 'ISO 8583 connection closed').length === 1);
    await expectStillServing();
  });

  it('survives a peer that resets the connection mid-request', async () => {
    await start();
    const socket = net.connect({ host: '127.0.0.1', port: gateway!.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(frameMessage(encodeMessage(authorization(1, { 48: '050' }))));
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectStillServing();
  });
});

describe('ISO 8583 gateway under a flood of connections that say nothing', () => {
  const warningsOf = (message: string) => logger.entries.filter((entry) => entry.level === 'warn' && entry.message === message);

  it('keeps serving a good peer while one address opens 100 silent and half-sent connections, closing them by their deadlines', async () => {
    await start({ firstByteTimeoutMs: 200, frameTimeoutMs: 200, idleTimeoutMs: 60_000, connectionsPerPeerMax: 16 });
    const framed = frameMessage(encodeMessage(authorization(1)));
    const flood: Iso8583Client[] = [];
    for (let index = 0; index < 100; index++) {
      const bad = await connect('127.0.0.1');
      // Every other one sends its length header and a few bytes of the message, then nothing.
      if (index % 2 === 1) bad.sendBytes(framed.subarray(0, 10));
      flood.push(bad);
    }
    const good = await connect('127.0.0.2');
    expect(await good.request(authorization(2))).toMatchObject({ mti: '0110', fields: { 11: '000002', 39: '00' } });

    await Promise.all(flood.map((bad) => bad.closed));
    const refused = warningsOf('ISO 8583 connection refused');
    expect(refused).toHaveLength(84);
    expect(new Set(refused.map((entry) => entry.fields.reason))).toEqual(new Set(['too many connections from this peer']));
    expect(warningsOf('ISO 8583 connection closed: nothing sent since it opened')).toHaveLength(8);
    const halfSent = warningsOf('ISO 8583 connection closed: a message was not completed in time');
    expect(halfSent).toHaveLength(8);
    expect(halfSent.every((entry) => entry.fields.bufferedBytes === 10)).toBe(true);
    expect(await good.request(authorization(3))).toMatchObject({ fields: { 11: '000003', 39: '00' } });
  });

  it('answers the requests a connection sent before it stalled in the middle of the next one, then closes it', async () => {
    await start({ frameTimeoutMs: 200, idleTimeoutMs: 60_000 });
    const client = await connect();
    expect((await client.request(authorization(1))).fields[39]).toBe('00');
    client.sendBytes(frameMessage(encodeMessage(authorization(2))).subarray(0, 5));
    await client.closed;
    expect(warningsOf('ISO 8583 connection closed: a message was not completed in time')).toHaveLength(1);
    await expectStillServing();
  });

  it('refuses a peer that is not on the allow-list at once, and serves one that is', async () => {
    await start({}, ['127.0.0.2']);
    const stranger = await connect('127.0.0.1');
    await stranger.closed;
    expect(warningsOf('ISO 8583 connection refused').map((entry) => entry.fields.reason)).toEqual(['peer not allowed']);
    const known = await connect('127.0.0.2');
    expect((await known.request(authorization(1))).fields[39]).toBe('00');
  });

  it('reads an IPv4 peer on an IPv6 socket as the IPv4 address', () => {
    expect(peerAddressOf('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(peerAddressOf('10.0.0.7')).toBe('10.0.0.7');
    expect(peerAddressOf('2001:DB8::1')).toBe('2001:db8::1');
  });
});
