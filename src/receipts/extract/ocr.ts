import { createRequire } from 'node:module';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** Bounded OCR time for one receipt; past it the worker is killed and replaced. */
export const ocrTimeoutMs = 30_000;
export const ocrWorkersMax = 8;

export class OcrTimeoutError extends Error {
  readonly code = 'receipt_ocr_timeout';
  constructor(timeoutMs: number) {
    super(`OCR did not finish within ${timeoutMs} ms`);
  }
}

/**
 * Language data comes from the installed @tesseract.js-data/eng package, never from the
 * CDN that tesseract.js falls back to: the reader must work without network access.
 */
function englishLangPath(): string {
  const data = require('@tesseract.js-data/eng') as { langPath: string };
  return data.langPath;
}

async function startWorker(): Promise<Worker> {
  const worker = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: englishLangPath(),
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

export interface ReceiptOcr {
  recognize(image: Buffer, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** A pool place: the worker is still starting while the promise is pending. */
interface Slot {
  worker: Promise<Worker>;
}

/**
 * A fixed pool of tesseract workers. Each recognition takes a free worker; the rest wait in
 * line, so at most `workers` images are processed at once.
 */
export function createReceiptOcr(workers = 1): ReceiptOcr {
  if (!Number.isInteger(workers) || workers < 1 || workers > ocrWorkersMax) {
    throw new RangeError(`workers must be 1..${ocrWorkersMax}`);
  }
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
    async recognize(image, timeoutMs = ocrTimeoutMs) {
      if (closed) throw new Error('OCR pool is closed');
      const slot = await acquire();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeoutError(timeoutMs)), timeoutMs);
      });
      try {
        const worker = await slot.worker;
        const result = await Promise.race([worker.recognize(image), timeout]);
        return result.data.text;
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
    },
  };
}
