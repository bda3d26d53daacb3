// Reading PDF receipts off the main thread, within bounds. pdf.js parses and renders
// synchronously and keeps every decoded stream whole in memory: in the server's thread a
// 3 MB PDF inflating to 3 GiB stopped all requests for 50 s and left the process 5 GB larger.
// Here each PDF is read in a worker thread (pdf-read-worker.ts) that is terminated when the
// file takes longer than pdfTimeoutMs, more V8 heap than pdfWorkerHeapMbMax, or grows the
// process by more than pdfReadMemoryMbMax; the file is then unreadable, and the server kept
// answering all along.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ReceiptUnreadableError } from './errors.js';
import type { PdfContent } from './pdf-document.js';
import type { PdfReadAnswer, PdfReadRequest } from './pdf-read-worker.js';

export type { PdfContent } from './pdf-document.js';

/** Parsing and rendering one PDF must end within this. */
export const pdfTimeoutMs = 20_000;
/** A new worker loads pdf.js and reads two tiny PDFs of its own within this. */
export const pdfWorkerStartTimeoutMs = 30_000;
/** The worker's V8 old generation: pdf.js's objects (pages, fonts, operator lists, text). */
export const pdfWorkerHeapMbMax = 256;
export const pdfWorkerYoungGenerationMbMax = 32;
/**
 * The process may grow by this much while one PDF is read. pdf.js holds decoded streams and
 * images in typed arrays, outside the V8 heap that the worker's resource limits bound, so the
 * process's resident memory is watched instead. Three pages scanned as 12-megapixel JPEGs
 * (9 MB), rendered for OCR, grew it by 287 MB. Other work of the process in the same moments
 * (an image decoded for an upload, OCR) counts too, which the margin allows for.
 */
export const pdfReadMemoryMbMax = 512;
/** How often the process's memory is looked at while a PDF is read. */
export const pdfMemoryCheckIntervalMs = 20;

export interface PdfReadLimits {
  timeoutMs: number;
  heapMbMax: number;
  memoryMbMax: number;
}

const pdfReadLimits: PdfReadLimits = { timeoutMs: pdfTimeoutMs, heapMbMax: pdfWorkerHeapMbMax, memoryMbMax: pdfReadMemoryMbMax };

/** Reads PDFs one at a time in its worker thread, started on the first and kept until close(). */
export interface PdfReader {
  read(bytes: Buffer): Promise<PdfContent>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** tsx's ESM loader, for a worker started from the TypeScript sources. */
function tsxLoaderUrl(): string {
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ./esm/api export to load the PDF worker with');
  return pathToFileURL(path.join(path.dirname(manifest), entry)).href;
}

/** A worker thread and whether it has loaded pdf.js and said it is ready (pdf-read-worker.ts). */
interface PdfWorker {
  thread: Worker;
  ready: Promise<void>;
}

/** `onExit`: the thread ended, whether terminated, crashed or stopped while idle. */
function startWorker(heapMbMax: number, onExit: (thread: Worker) => void): PdfWorker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMbMax, maxYoungGenerationSizeMb: pdfWorkerYoungGenerationMbMax } };
  // Built, this module is pdf.js beside pdf-read-worker.js; run from the sources (tests,
  // `npm run outlay`), the worker loads tsx first to compile its TypeScript as it imports it.
  const thread = import.meta.url.endsWith('.ts')
    ? new Worker(`import(${JSON.stringify(tsxLoaderUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./pdf-read-worker.ts', import.meta.url).href)}); })`, { ...options, eval: true })
    : new Worker(new URL('./pdf-read-worker.js', import.meta.url), options);
  // An error in an idle worker would otherwise be thrown in the server's thread; the worker
  // then exits and is replaced on the next file. A file's read listens for its own errors.
  thread.on('error', () => undefined).once('exit', () => onExit(thread));
  const ready = new Promise<void>((resolve, reject) => {
    const onStartExit = (code: number) => reject(new Error(`the PDF worker stopped while starting (exit code ${code})`));
    const onMessage = (answer: PdfReadAnswer) => {
      if (!('ready' in answer)) return;
      thread.off('message', onMessage).off('error', reject).off('exit', onStartExit);
      resolve();
    };
    thread.on('message', onMessage).once('error', reject).once('exit', onStartExit);
  });
  // Awaited by the read that started it; nobody else should hear of a failed start.
  ready.catch(() => undefined);
  return { thread, ready };
}

function contentOf(content: PdfContent): PdfContent {
  // Buffers come back from the worker as plain Uint8Arrays.
  return content.kind === 'text' ? content : { kind: 'scan', pages: content.pages.map((page) => Buffer.from(page.buffer, page.byteOffset, page.byteLength)) };
}

const megabytes = (bytes: number) => bytes / 1024 / 1024;

/** The reader's side of one file: its worker, and what to do when that worker must go. */
interface Asking {
  thread: Worker;
  id: number;
  limits: PdfReadLimits;
  /** Drops the worker from the reader (the next file starts a new one) and terminates it. */
  stop(): void;
  closed(): boolean;
}

/** Sends the file to the worker and waits for its answer, within the time and memory bounds. */
function ask({ thread, id, limits, stop, closed }: Asking, bytes: Buffer): Promise<PdfContent> {
  return new Promise((resolve, reject) => {
    // Taken with the worker idle and warmed up: what grows from here is this file's doing.
    const rssAtStart = process.memoryUsage.rss();
    const settle = (outcome: () => void, stopping: boolean) => {
      clearTimeout(timer);
      clearInterval(watch);
      thread.off('message', onMessage).off('error', onError).off('exit', onExit);
      // A worker stopped mid-file may hold gigabytes: it goes, and the next file gets a new one.
      if (stopping) stop();
      else thread.unref();
      outcome();
    };
    const refuse = (what: string) => settle(() => reject(new ReceiptUnreadableError(what)), true);
    const onMessage = (answer: PdfReadAnswer) => {
      if (!('id' in answer) || answer.id !== id) return;
      if (answer.ok) settle(() => resolve(contentOf(answer.content)), false);
      else settle(() => reject(answer.unreadable ? new ReceiptUnreadableError(answer.message) : new Error(answer.message)), false);
    };
    const onError = (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') refuse(`reading the PDF needed more than ${limits.heapMbMax} MB of heap`);
      // Anything else (pdf.js threw where nothing caught it) is not known to be the file's
      // fault: the job tries again.
      else settle(() => reject(new Error(`the PDF worker failed: ${error.message}`, { cause: error })), true);
    };
    const onExit = (code: number) => settle(() => reject(new Error(closed() ? 'the PDF reader was closed' : `the PDF worker stopped (exit code ${code})`)), true);
    const timer = setTimeout(() => refuse(`the PDF was not read within ${limits.timeoutMs} ms`), limits.timeoutMs);
    const watch = setInterval(() => {
      const grownMb = megabytes(process.memoryUsage.rss() - rssAtStart);
      if (grownMb > limits.memoryMbMax) refuse(`reading the PDF took more than ${limits.memoryMbMax} MB of memory`);
    }, pdfMemoryCheckIntervalMs);
    thread.on('message', onMessage).on('error', onError).on('exit', onExit);
    thread.postMessage({ id, bytes } satisfies PdfReadRequest);
  });
}

export function createPdfReader(limits: Partial<PdfReadLimits> = {}): PdfReader {
  const bounds: PdfReadLimits = { ...pdfReadLimits, ...limits };
  let worker: PdfWorker | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let lastId = 0;

  /** The worker, started if there is none, once it is ready; one that fails to start is dropped. */
  const readyWorker = async (): Promise<Worker> => {
    if (closed) throw new Error('the PDF reader is closed');
    const current = (worker ??= startWorker(bounds.heapMbMax, (thread) => {
      if (worker?.thread === thread) worker = null;
    }));
    current.thread.ref();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([current.ready, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the PDF worker did not start within ${pdfWorkerStartTimeoutMs} ms`)), pdfWorkerStartTimeoutMs)))]);
      return current.thread;
    } catch (error) {
      if (worker === current) worker = null;
      await current.thread.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    read(bytes) {
      if (closed) return Promise.reject(new Error('the PDF reader is closed'));
      // One file at a time: the memory bound is measured for the file being read.
      const reading = queue.then(async () => {
        const thread = await readyWorker();
        const stop = () => {
          if (worker?.thread === thread) worker = null;
          void thread.terminate();
        };
        return ask({ thread, id: (lastId += 1), limits: bounds, stop, closed: () => closed }, bytes);
      });
      queue = reading.catch(() => undefined);
      return reading;
    },
    async close() {
      closed = true;
      const running = worker;
      worker = null;
      await running?.thread.terminate();
    },
  };
}

/**
 * Reads a PDF receipt in `reader`'s worker: its text layer when it has one, otherwise its
 * first pages rendered for OCR (pdf-document.ts). Without a reader one is started and stopped
 * for this file.
 */
export async function readPdf(bytes: Buffer, reader?: PdfReader): Promise<PdfContent> {
  if (reader) return reader.read(bytes);
  const own = createPdfReader();
  try {
    return await own.read(bytes);
  } finally {
    await own.close();
  }
}
