import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
// The Tesseract adapter: a pool of tesseract.js workers behind the ReceiptOcr interface of
// ocr-page.ts, with language data from npm (English, and Danish, Swedish or German beside it)
// and a bounded time per recognition.
import { createWorker, OEM, PSM, type Page, type Worker } from 'tesseract.js';
import { pagePartsMax } from './page-parts.js';
import type { OcrLine, OcrPage, ReceiptOcr } from './ocr-page.js';
import { printedLines } from './printed-lines.js';
import type { ReceiptLanguage } from './receipt-languages.js';

const require = createRequire(import.meta.url);

/** Bounded OCR time for one receipt; past it the worker is killed and replaced. */
export const ocrTimeoutMs = 30_000;
export const ocrWorkersMax = 8;
/**
 * Workers a pool has unless told otherwise: one per core, up to the parts a page is read in
 * (page-parts.ts), so one receipt's recognitions run side by side.
 */
export const ocrWorkersDefault = Math.max(1, Math.min(pagePartsMax, os.availableParallelism()));

export class OcrTimeoutError extends Error {
  readonly code = 'receipt_ocr_timeout';
  constructor(timeoutMs: number) {
    super(`OCR did not finish within ${timeoutMs} ms`);
  }
}

/**
 * Language data comes from the installed @tesseract.js-data/<language> packages, never from
 * the CDN that tesseract.js falls back to: the reader must work without network access. A
 * package's default folder holds the legacy and LSTM models together; the LSTM-only
 * (best_int) folder beside it has the same LSTM model in a quarter of the size, which starts
 * faster and is all that OEM.LSTM_ONLY uses.
 */
function languageFolder(language: ReceiptLanguage): string {
  const data = require(`@tesseract.js-data/${language}`) as { langPath: string };
  return path.join(path.dirname(data.langPath), '4.0.0_best_int');
}

/**
 * The folder a worker loads its languages from. tesseract.js reads every language from one
 * folder, and each package has its own; for more than English, links to the packages' files
 * are gathered in a folder of this pool's own, removed when the pool closes.
 */
async function languageFolderOf(languages: readonly ReceiptLanguage[]): Promise<{ folder: string; remove(): Promise<void> }> {
  if (languages.length === 1 && languages[0]) return { folder: languageFolder(languages[0]), remove: async () => undefined };
  const folder = await mkdtemp(path.join(os.tmpdir(), 'outlay-ocr-languages-'));
  await Promise.all(languages.map((language) => symlink(path.join(languageFolder(language), `${language}.traineddata.gz`), path.join(folder, `${language}.traineddata.gz`))));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

async function startLanguageWorker(languages: readonly ReceiptLanguage[], langPath: string): Promise<Worker> {
  const worker = await createWorker([...languages], OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    // Nothing is cached to the working directory; the data is already on disk.
    cacheMethod: 'none',
  });
  await worker.setParameters({
    tessedit_pageseg_mode: PSM.SINGLE_COLUMN,
    preserve_interword_spaces: '1',
    // Receipts have no white-on-black text; skipping the inverted-text pass saves time.
    tessedit_do_invert: '0',
    // The preprocessed page is ~300 DPI (see preprocess.ts); PNGs from sharp carry no density.
    user_defined_dpi: '300',
  });
  return worker;
}

function pageOf(data: Page): OcrPage {
  const lines: OcrLine[] = [];
  for (const block of data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = line.text.trim();
        const words = line.words.map((w) => ({ text: w.text, confidence: Math.round(w.confidence) / 100, left: w.bbox.x0, right: w.bbox.x1 }));
        if (text.length > 0) lines.push({ text, confidence: Math.round(line.confidence) / 100, words, top: line.bbox.y0, bottom: line.bbox.y1 });
      }
    }
  }
  return { text: data.text, lines: printedLines(lines), confidence: Math.round(data.confidence) / 100 };
}

/** A pool place: the worker is still starting while the promise is pending. */
interface Slot {
  worker: Promise<Worker>;
}

/**
 * A fixed pool of tesseract workers. Each recognition takes a free worker; the rest wait in
 * line, so at most `workers` images are processed at once.
 */
export function createReceiptOcr(workers = ocrWorkersDefault, languages: readonly ReceiptLanguage[] = ['eng']): ReceiptOcr {
  if (!Number.isInteger(workers) || workers < 1 || workers > ocrWorkersMax) {
    throw new RangeError(`workers must be 1..${ocrWorkersMax}`);
  }
  if (languages.length === 0) throw new RangeError('at least one language is needed');
  const folder = languageFolderOf(languages);
  const startWorker = async (): Promise<Worker> => startLanguageWorker(languages, (await folder).folder);
  const slots: Slot[] = Array.from({ length: workers }, () => ({ worker: startWorker() }));
  const idle = [...slots];
  const waiting: ((slot: Slot) => void)[] = [];
  let closed = false;

  const acquire = (): Promise<Slot> => {
    const slot = idle.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (slot: Slot): void => {
    const next = waiting.shift();
    if (next) next(slot);
    else idle.push(slot);
  };

  return {
    async recognize(image, { timeoutMs = ocrTimeoutMs, binarisation = 'otsu' } = {}) {
      if (closed) throw new Error('OCR pool is closed');
      const slot = await acquire();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeoutError(timeoutMs)), timeoutMs);
      });
      try {
        const worker = await slot.worker;
        // Parameters given with one recognition are restored after it (tesseract.js SaveParameters).
        // Tesseract 5 thresholding_method: 0 Otsu, 1 Leptonica local adaptive, 2 Sauvola.
        const parameters = (binarisation === 'sauvola' ? { thresholding_method: '2' } : {}) as Parameters<Worker['recognize']>[1];
        const result = await Promise.race([worker.recognize(image, parameters, { text: true, blocks: true }), timeout]);
        return pageOf(result.data);
      } catch (error) {
        // A worker that timed out or failed may be stuck mid-page: replace it.
        const broken = slot.worker;
        slot.worker = startWorker();
        void broken.then((w) => w.terminate()).catch(() => undefined);
        throw error;
      } finally {
        clearTimeout(timer);
        release(slot);
      }
    },
    async close() {
      closed = true;
      const started = await Promise.allSettled(slots.map((slot) => slot.worker));
      await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.terminate() : undefined)));
      await folder.then((f) => f.remove(), () => undefined);
    },
  };
}
