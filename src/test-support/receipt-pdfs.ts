// PDF receipts as a scanner saves them, for tests and benchmarks of the PDF reader.
import sharp from 'sharp';
import { pdfOfObjects } from './hostile-files.js';

/** A scan saved as PDF at `dpi`: one page showing one JPEG and no text layer. */
export async function pdfOfScan(jpeg: Buffer, dpi = 200): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  // The page is the image's size in points at 72 per inch.
  const [w, h] = [(width * 72) / dpi, (height * 72) / dpi];
  const draw = `q ${w} 0 0 ${h} 0 0 cm /Im1 Do Q`;
  return pdfOfObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>`,
    `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`,
    Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`),
      jpeg,
      Buffer.from('\nendstream'),
    ]),
  ]);
}
