// The OCR engines a company's receipt images can be read with (the `ocr-engine` flag names
// one per company) and which OCR each gives the extractor.
import type { ReceiptOcr } from './ocr-page.js';

/**
 * tesseract: Tesseract alone, in the company's languages, with its rereadings and votes.
 * paddle: PaddleOCR's PP-OCRv4 alone, one reading of the page; its dictionary has no æ ø å ö
 * ß € £, so it suits receipts in English. paddle+tesseract: Tesseract as above, and where
 * the total or the date is still weak after its first reading, PaddleOCR's reading of the
 * page as further evidence for those two.
 */
export const ocrEngines = ['tesseract', 'paddle', 'paddle+tesseract'] as const;
export type OcrEngine = (typeof ocrEngines)[number];
export const ocrEngineDefault: OcrEngine = 'tesseract';

/** The engines' OCR, each started when an engine first asks for it. */
export interface EngineOcrs {
  tesseract(): ReceiptOcr;
  paddle(): ReceiptOcr;
}

/** What the extractor reads with for an engine (extract-receipt.ts `ocr` and `figuresOcr`). */
export function ocrOfEngine(engine: OcrEngine, ocrs: EngineOcrs): { ocr: ReceiptOcr; figuresOcr?: ReceiptOcr } {
  switch (engine) {
    case 'tesseract':
      return { ocr: ocrs.tesseract() };
    case 'paddle':
      return { ocr: ocrs.paddle() };
    case 'paddle+tesseract':
      return { ocr: ocrs.tesseract(), figuresOcr: ocrs.paddle() };
  }
}
