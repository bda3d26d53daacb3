import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, frameMessage, FrameTooLargeError } from './framing.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('length-header framing', () => {
  it('puts the length before the message in two bytes, big-endian', () => {
    expect(frameMessage(Buffer.alloc(300, 0x41)).subarray(0, 3).equals(Buffer.from([0x01, 0x2c, 0x41]))).toBe(true);
    expect(() => frameMessage(Buffer.alloc(65536))).toThrow(RangeError);
  });

  it('reassembles a message that arrives one byte at a time', () => {
    const decoder = new FrameDecoder(1024);
    const framed = frameMessage(bytes('0800 echo'));
    const frames = [...framed].flatMap((byte) => decoder.push(Buffer.from([byte])).frames);
    expect(frames.map(String)).toEqual(['0800 echo']);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('splits one read that carries several messages and keeps the start of the next', () => {
    const decoder = new FrameDecoder(1024);
    const stream = Buffer.concat([frameMessage(bytes('first')), frameMessage(bytes('second')), frameMessage(bytes('third')).subarray(0, 4)]);
    expect(decoder.push(stream)).toEqual({ frames: [bytes('first'), bytes('second')], error: null });
    expect(decoder.bufferedBytes).toBe(4);
    expect(decoder.push(bytes('ird')).frames.map(String)).toEqual(['third']);
  });

  it('passes a zero length on as an empty message, for the reader to refuse', () => {
    expect(new FrameDecoder(1024).push(Buffer.from([0, 0])).frames).toEqual([Buffer.alloc(0)]);
  });

  it('stops at a header stating more than the maximum, after the messages before it', () => {
    const decoder = new FrameDecoder(100);
    const batch = decoder.push(Buffer.concat([frameMessage(bytes('ok')), Buffer.from([0x00, 0x65]), Buffer.alloc(101)]));
    expect(batch.frames.map(String)).toEqual(['ok']);
    expect(batch.error).toBeInstanceOf(FrameTooLargeError);
    expect(batch.error).toMatchObject({ length: 101, frameBytesMax: 100 });
    expect(decoder.push(frameMessage(bytes('later')))).toEqual({ frames: [], error: null });
  });

  it('gives the same messages however TCP cuts the stream', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map((message) => frameMessage(message)));
        const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
        const decoder = new FrameDecoder(300);
        const frames: Buffer[] = [];
        let from = 0;
        for (const to of [...points, stream.length]) {
          const batch = decoder.push(stream.subarray(from, to));
          expect(batch.error).toBeNull();
          frames.push(...batch.frames);
          from = to;
        }
        expect(frames).toEqual(messages.map((message) => Buffer.from(message)));
        expect(decoder.bufferedBytes).toBe(0);
      }),
    );
  });
});
