import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sniffMediaType } from './media-type.js';

const pixel = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } });

describe('sniffMediaType', () => {
  it('tells JPEG, PNG and WebP images by their content', async () => {
    expect(sniffMediaType(await pixel().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffMediaType(await pixel().png().toBuffer())).toBe('image/png');
    expect(sniffMediaType(await pixel().webp().toBuffer())).toBe('image/webp');
  });

  it('finds a PDF header even after leading bytes', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.4\n%âãÏÓ\n'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.concat([Buffer.alloc(100, 0x20), Buffer.from('%PDF-1.7\n')]))).toBe('application/pdf');
  });

  it('refuses what is none of them, whatever it is called', async () => {
    expect(sniffMediaType(Buffer.from('<html><body>receipt.jpg</body></html>'))).toBeNull();
    expect(sniffMediaType(await pixel().gif().toBuffer())).toBeNull();
    expect(sniffMediaType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(sniffMediaType(Buffer.alloc(0))).toBeNull();
  });
});
