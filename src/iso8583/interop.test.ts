// Interoperability with an independent implementation, the npm package iso_8583: what it writes
// we read, what we write it reads, for authorizations, reversals and network management, on
// their own and over TCP through the gateway. Its field table is compared with ours as well.
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationRequest, networkManagementRequest, reversalRequest } from '../test-support/iso8583-acquirer-messages.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { fieldSpecs } from './fields.js';
import { FrameDecoder, frameMessage } from './framing.js';
import { startIso8583Gateway, type Iso8583Gateway } from './gateway.js';
import type { Iso8583Message } from './message.js';
import { responseTo } from './responses.js';

/** The part of iso_8583's API used here (it ships no types). */
interface IsoPack {
  getBufferMessage(): Buffer | { error: string };
  getIsoJSON(buffer: Buffer): Record<string, string> | { error: string };
}
interface IsoPackClass {
  new (message?: Record<string, string>): IsoPack;
}
interface IsoFormat {
  ContentType: string;
  LenType: string;
  MaxLen: number;
}
const require = createRequire(import.meta.url);
const IsoPack = require('iso_8583') as IsoPackClass;
const theirFormats = require('iso_8583/lib/formats.js') as Record<string, IsoFormat>;

/** Our message as iso_8583's JSON: field numbers as keys, 0 the MTI. */
function toTheirs(message: Iso8583Message): Record<string, string> {
  return { 0: message.mti, ...Object.fromEntries(Object.entries(message.fields)) };
}

function fromTheirs(json: Record<string, string>): Iso8583Message {
  const { 0: mti, ...fields } = json;
  return { mti: mti!, fields: Object.fromEntries(Object.entries(fields).map(([key, value]) => [Number(key), value])) };
}

function writtenByThem(message: Iso8583Message): Buffer {
  const written = new IsoPack(toTheirs(message)).getBufferMessage();
  if (!Buffer.isBuffer(written)) throw new Error(`iso_8583 refused the message: ${written.error}`);
  return written;
}

function readByThem(framed: Buffer): Iso8583Message {
  const json = new IsoPack().getIsoJSON(framed);
  if ('error' in json) throw new Error(`iso_8583 could not read the message: ${json.error}`);
  return fromTheirs(json);
}

function readByUs(framed: Buffer): Iso8583Message {
  const { frames, error } = new FrameDecoder(8192).push(framed);
  expect(error).toBeNull();
  expect(frames).toHaveLength(1);
  const decoded = decodeMessage(frames[0]!);
  if (!decoded.ok) throw decoded.error;
  return decoded.message;
}

const transmittedAt = new Date('2026-11-20T10:00:00Z');
const authorization = authorizationRequest({
  pan: '4000001234567899',
  amount: 1250n,
  currency: '978',
  merchant: { name: 'Cafe Nord', city: 'Copenhagen', country: 'DK', mcc: '5814', id: 'M42' },
  transmittedAt,
  stan: '000321',
  retrievalReference: '632410000321',
  acquirer: '123456',
});
const messages: [string, Iso8583Message][] = [
  ['an authorization request (0100)', authorization],
  ['an authorization response (0110)', responseTo(authorization, '00', { 38: '123456' })!],
  ['a reversal with replacement amounts (0400, fields 90 and 95)', reversalRequest(authorization, { transmittedAt, stan: '000322', actualAmount: 800n })],
  ['a reversal advice repeat (0421)', reversalRequest(authorization, { transmittedAt, stan: '000323', mti: '0421' })],
  ['an echo test (0800, field 70)', networkManagementRequest('301', transmittedAt, '000324')],
  ['a sign-on response (0810)', responseTo(networkManagementRequest('001', transmittedAt, '000325'), '00')!],
];

describe('interoperability with iso_8583', () => {
  it.each(messages)('reads %s as iso_8583 writes it', (_name, message) => {
    expect(readByUs(writtenByThem(message))).toEqual(message);
  });

  it.each(messages)('writes %s so that iso_8583 reads it', (_name, message) => {
    expect(readByThem(frameMessage(encodeMessage(message)))).toEqual(message);
  });

  it('agrees with iso_8583 on the length of every field both define alike', () => {
    // Where the two tables differ on purpose: chip data (55) is binary, field 53 is n 16 and
    // the MACs (64, 96, 128) are 8 bytes in ISO 8583:1987 (iso_8583 reads 4); 58, 59 and 127
    // are reserved fields whose layouts networks define for themselves.
    const differences = [53, 55, 58, 59, 64, 96, 127, 128];
    const lengths = (number: number) => {
      const ours = fieldSpecs.get(number)!;
      const theirs = theirFormats[String(number)]!;
      const theirLength = theirs.ContentType === 'b' ? theirs.MaxLen / 2 : theirs.MaxLen;
      return { ours: [ours.length, ours.lengthMax], theirs: [theirs.LenType, theirLength] };
    };
    const compared = [...fieldSpecs.keys()].filter((number) => !differences.includes(number));
    const disagreements = compared.map((number) => ({ number, ...lengths(number) })).filter(({ ours, theirs }) => ours[0] !== theirs[0] || ours[1] !== theirs[1]);
    expect(disagreements).toEqual([]);
  });
});

describe('interoperability with iso_8583 over TCP', () => {
  let gateway: Iso8583Gateway;
  beforeAll(async () => {
    const silent = { info() {}, warn() {}, error() {} };
    gateway = await startIso8583Gateway({ host: '127.0.0.1', port: 0, logger: silent, handler: async (request) => responseTo(request, '00', request.mti === '0100' ? { 38: '654321' } : {})! });
  });
  afterAll(() => gateway.close());

  it('answers requests iso_8583 writes, pipelined on one connection, with answers iso_8583 reads', async () => {
    const requests = [authorization, reversalRequest(authorization, { transmittedAt, stan: '000330' }), networkManagementRequest('301', transmittedAt, '000331')];
    const socket = net.connect({ host: '127.0.0.1', port: gateway.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const decoder = new FrameDecoder(8192);
    const answers: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk).frames) answers.push(frameMessage(frame));
        if (answers.length === requests.length) resolve();
      });
    });
    socket.write(Buffer.concat(requests.map(writtenByThem)));
    await done;
    socket.destroy();
    const read = answers.map(readByThem);
    expect(read.map((answer) => [answer.mti, answer.fields[11], answer.fields[39]])).toEqual([
      ['0110', '000321', '00'],
      ['0410', '000330', '00'],
      ['0810', '000331', '00'],
    ]);
    expect(read[0]!.fields[38]).toBe('654321');
    expect(read[1]!.fields[90]).toBe(requests[1]!.fields[90]);
  });
});
