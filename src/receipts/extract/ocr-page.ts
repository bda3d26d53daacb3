// What reading a page gives, whoever read it: Tesseract (tesseract-ocr.ts), PaddleOCR
// (paddle-ocr.ts), a PDF's text layer or an e-mail's text. The field readers work on these types only.

export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  /** Where the word is across the page, in pixels from the left (OCR only). */
  left?: number;
  right?: number;
}

/** One line as OCR read it, with its mean word confidence (0..1) and its words. */
export interface OcrLine {
  text: string;
  confidence: number;
  /** Absent for text that was not OCR'd (PDF text layers, e-mail bodies). */
  words?: OcrWord[];
  /** Where the line is on the page, in pixels from the top (OCR only). */
  top?: number;
  bottom?: number;
}

export interface OcrPage {
  text: string;
  lines: OcrLine[];
  /** Mean confidence over the page (0..1). */
  confidence: number;
}

/**
 * How Tesseract separates ink from paper before reading: one global (Otsu) threshold, or a
 * local Sauvola threshold that copes better with shadows and uneven thermal print.
 */
export type OcrBinarisation = 'otsu' | 'sauvola';

export interface RecognizeOptions {
  timeoutMs?: number;
  binarisation?: OcrBinarisation;
}

export interface ReceiptOcr {
  /**
   * The engine reads a page the same whatever Tesseract's renderings and thresholds, so a
   * page is read once, whole, with no strips read again (PaddleOCR, paddle-ocr.ts).
   */
  readsOnce?: boolean;
  recognize(image: Buffer, options?: RecognizeOptions): Promise<OcrPage>;
  close(): Promise<void>;
}
