// Reading PDF receipts outside the server's process, within bounds. pdf.js parses and renders
// synchronously and keeps every decoded stream whole in memory: in the server's thread a
// 3 MB PDF inflating to 3 GiB stopped all requests for 50 s and left the process 5 GB larger.
// A worker thread was not enough either: it shares the process's address space, so a spike
// between two looks at memory could still take the server down. Here each PDF is read in a
// child process (pdf-read-child.ts) with a heap of its own (pdfReaderHeapMbMax, past which
// V8 ends it) and a data segment limit that the kernel enforces (pdfReaderDataMbMax); it is
// killed when the file takes longer than pdfTimeoutMs or grows it by more than
// pdfReadMemoryMbMax. Whatever ends the child mid-file, the file is then unreadable, the
// next one gets a new child, and the server kept answering all along.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ReceiptUnreadableError } from './errors.js';
import { pdfPagesMax, pdfTextLengthMax, type PdfContent } from './pdf-document.js';
import type { PdfReadAnswer, PdfReadRequest } from './pdf-read-child.js';

export type { PdfContent } from './pdf-document.js';

/** Parsing and rendering one PDF must end within this. */
export const pdfTimeoutMs = 20_000;
/** A new child loads pdf.js and reads two tiny PDFs of its own within this. */
export const pdfReaderStartTimeoutMs = 30_000;
/** The child's V8 old generation (--max-old-space-size): pdf.js's objects (pages, fonts, operator lists, text). */
export const pdfReaderHeapMbMax = 256;
/**
 * The child's data segment (RLIMIT_DATA, set with the shell's `ulimit -d` before node starts):
 * its heap, and the typed arrays outside it where pdf.js holds decoded streams and images.
 * The kernel refuses an allocation past it, however fast it comes, so no file can make the
 * child take the machine's memory between two looks at it.
 */
export const pdfReaderDataMbMax = 1024;
/**
 * The child may grow by this much while one PDF is read, looked at every
 * pdfMemoryCheckIntervalMs (its resident memory, from /proc on Linux). Three pages scanned as
 * 12-megapixel JPEGs (9 MB), rendered for OCR, grew a reader by 287 MB.
 */
export const pdfReadMemoryMbMax = 512;
export const pdfMemoryCheckIntervalMs = 20;
/** A rendered page comes back as a PNG of at most pdfRenderPixelsMax pixels; one larger is no page of ours. */
export const pdfRenderedPageBytesMax = 64 * 1024 * 1024;
/** The last bytes the child wrote to its standard error, kept to tell why it ended. */
const stderrTailBytes = 8 * 1024;

export interface PdfReadLimits {
  timeoutMs: number;
  heapMbMax: number;
  dataMbMax: number;
  memoryMbMax: number;
}

const pdfReadLimits: PdfReadLimits = { timeoutMs: pdfTimeoutMs, heapMbMax: pdfReaderHeapMbMax, dataMbMax: pdfReaderDataMbMax, memoryMbMax: pdfReadMemoryMbMax };

/** Reads PDFs one at a time in its child process, started on the first and kept until close(). */
export interface PdfReader {
  read(bytes: Buffer): Promise<PdfContent>;
  /** The process id of the child reading PDFs, null while there is none. */
  pid(): number | null;
  /** Ends the child; a read under way fails. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** A file of an installed package, as a URL to import. */
function packageFileUrl(packageName: string, file: string): string {
  return pathToFileURL(path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file)).href;
}

/** tsx's ESM loader API, for a child started from the TypeScript sources. */
function tsxApiUrl(): string {
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ./esm/api export to load the PDF reader with');
  return packageFileUrl('tsx', entry);
}

/**
 * What node runs in the child. Built, this module is pdf.js beside pdf-read-child.js. Run
 * from the sources (tests, `npm run outlay`), the child registers tsx to compile its
 * TypeScript as it imports it, but imports pdf.js first: compiled by tsx, pdf.js's 3 MB of
 * JavaScript left the idle child at 500 MB instead of 120.
 */
function childScript(): string[] {
  if (!import.meta.url.endsWith('.ts')) return [fileURLToPath(new URL('./pdf-read-child.js', import.meta.url))];
  const first = ['legacy/build/pdf.mjs', 'legacy/build/pdf.worker.mjs'].map((file) => `await import(${JSON.stringify(packageFileUrl('pdfjs-dist', file))});`);
  const child = JSON.stringify(new URL('./pdf-read-child.ts', import.meta.url).href);
  return ['--input-type=module', '-e', `${first.join(' ')} const { register } = await import(${JSON.stringify(tsxApiUrl())}); register(); await import(${child});`];
}

/**
 * The command that starts the child. It gets no environment of the server's (secrets, the
 * database's address): it needs none. Where there is a POSIX shell it sets the data segment
 * limit and then becomes node, keeping the IPC channel.
 */
function childCommand(limits: PdfReadLimits): { file: string; args: string[] } {
  const node = [`--max-old-space-size=${limits.heapMbMax}`, ...childScript()];
  if (process.platform === 'win32') return { file: process.execPath, args: node };
  return { file: '/bin/sh', args: ['-c', 'ulimit -d "$0" && exec "$@"', String(limits.dataMbMax * 1024), process.execPath, ...node] };
}

/** A child process, whether it has loaded pdf.js and said it is ready, and what it last said on stderr. */
interface PdfChild {
  process: ChildProcess;
  ready: Promise<void>;
  stderrTail(): string;
}

/** Keeps the child from holding the server's event loop open while it has no file. */
function holdOpen(child: ChildProcess, busy: boolean): void {
  for (const handle of [child, child.channel, child.stderr as Socket | null]) {
    if (busy) handle?.ref();
    else handle?.unref();
  }
}

/** `onExit`: the child ended, whether killed, crashed or stopped while idle. */
function startChild(limits: PdfReadLimits, onExit: (child: ChildProcess) => void): PdfChild {
  const { file, args } = childCommand(limits);
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', env: {} });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-stderrTailBytes)));
  // A failed spawn is an 'error' and then an 'exit'; a read listens for the exit.
  child.on('error', () => undefined).once('exit', () => onExit(child));
  const ready = new Promise<void>((resolve, reject) => {
    const onStartExit = (code: number | null, signal: string | null) => reject(new Error(`the PDF reader stopped while starting (${signal ?? `exit code ${code}`}): ${stderr.slice(-500)}`));
    const onMessage = (answer: PdfReadAnswer) => {
      if (!('ready' in answer)) return;
      child.off('message', onMessage).off('exit', onStartExit);
      resolve();
    };
    child.on('message', onMessage).once('exit', onStartExit);
  });
  // Awaited by the read that started it; nobody else should hear of a failed start.
  ready.catch(() => undefined);
  return { process: child, ready, stderrTail: () => stderr };
}

/** The child's resident memory in MB, where the system shows it (Linux's /proc), else null. */
function residentMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * What the child read, within the bounds of what it may answer: the pages and text it was
 * told to keep (pdf-document.ts), each rendered page a PNG of bounded size.
 */
function boundedContent(content: PdfContent): PdfContent {
  if (content.kind === 'text') {
    const length = content.lines.reduce((sum, line) => sum + line.length + 1, 0);
    if (length > pdfTextLengthMax + 1) throw new ReceiptUnreadableError(`the PDF reader answered more than ${pdfTextLengthMax} characters of text`);
    return content;
  }
  if (content.pages.length > pdfPagesMax) throw new ReceiptUnreadableError(`the PDF reader answered more than ${pdfPagesMax} pages`);
  if (content.pages.some((page) => page.byteLength > pdfRenderedPageBytesMax)) throw new ReceiptUnreadableError(`the PDF reader answered a page of more than ${pdfRenderedPageBytesMax} bytes`);
  // Buffers come back from the child as plain Uint8Arrays.
  return { kind: 'scan', pages: content.pages.map((page) => Buffer.from(page.buffer, page.byteOffset, page.byteLength)) };
}

/** The reader's side of one file: its child, and what to do when that child must go. */
interface Asking {
  child: PdfChild;
  id: number;
  limits: PdfReadLimits;
  /** Drops the child from the reader (the next file starts a new one) and kills it. */
  stop(): void;
  closed(): boolean;
}

/** Why the child ended while it read a file: out of heap (V8 says so on stderr), killed, or crashed. */
function endedMidFile({ child, limits, closed }: Asking, code: number | null, signal: string | null): Error {
  if (closed()) return new Error('the PDF reader was closed');
  if (/heap out of memory|Reached heap limit/i.test(child.stderrTail())) return new ReceiptUnreadableError(`reading the PDF needed more than ${limits.heapMbMax} MB of heap`);
  return new ReceiptUnreadableError(`the PDF reader ended while reading it (${signal ?? `exit code ${code}`})`);
}

/** Sends the file to the child and waits for its answer, within the time and memory bounds. */
function ask(asking: Asking, bytes: Buffer): Promise<PdfContent> {
  const { child, id, limits, stop } = asking;
  const subprocess = child.process;
  return new Promise((resolve, reject) => {
    // Taken with the child idle and warmed up: what grows from here is this file's doing.
    const rssAtStart = residentMb(subprocess.pid);
    const settle = (outcome: () => void, stopping: boolean) => {
      clearTimeout(timer);
      clearInterval(watch);
      subprocess.off('message', onMessage).off('close', onClose);
      // A child stopped mid-file may hold a gigabyte: it goes, and the next file gets a new one.
      if (stopping) stop();
      else holdOpen(subprocess, false);
      outcome();
    };
    const refuse = (what: string) => settle(() => reject(new ReceiptUnreadableError(what)), true);
    const onMessage = (answer: PdfReadAnswer) => {
      if (!('id' in answer) || answer.id !== id) return;
      if (!answer.ok) settle(() => reject(answer.unreadable ? new ReceiptUnreadableError(answer.message) : new Error(answer.message)), false);
      else {
        try {
          const content = boundedContent(answer.content);
          settle(() => resolve(content), false);
        } catch (error) {
          settle(() => reject(error as Error), true);
        }
      }
    };
    // 'close', not 'exit': by then the child's last words on stderr have arrived.
    const onClose = (code: number | null, signal: string | null) => settle(() => reject(endedMidFile(asking, code, signal)), true);
    const timer = setTimeout(() => refuse(`the PDF was not read within ${limits.timeoutMs} ms`), limits.timeoutMs);
    const watch = setInterval(() => {
      const rss = residentMb(subprocess.pid);
      if (rss !== null && rssAtStart !== null && rss - rssAtStart > limits.memoryMbMax) refuse(`reading the PDF took more than ${limits.memoryMbMax} MB of memory`);
    }, pdfMemoryCheckIntervalMs);
    subprocess.on('message', onMessage).on('close', onClose);
    holdOpen(subprocess, true);
    // A child that died meanwhile cannot take it; its exit settles the file.
    subprocess.send({ id, bytes } satisfies PdfReadRequest, (error) => error && undefined);
  });
}

/** Kills the child at once (it holds nothing worth a goodbye) and waits until it is gone. */
function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // An idle child is unreferenced: without this, a process with nothing else to do would end
  // before the exit it awaits.
  child.ref();
  child.kill('SIGKILL');
  return exited;
}

export function createPdfReader(limits: Partial<PdfReadLimits> = {}): PdfReader {
  const bounds: PdfReadLimits = { ...pdfReadLimits, ...limits };
  let current: PdfChild | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let lastId = 0;

  /** The child, started if there is none, once it is ready; one that fails to start is killed. */
  const readyChild = async (): Promise<PdfChild> => {
    if (closed) throw new Error('the PDF reader is closed');
    const child = (current ??= startChild(bounds, (ended) => {
      if (current?.process === ended) current = null;
    }));
    holdOpen(child.process, true);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([child.ready, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the PDF reader did not start within ${pdfReaderStartTimeoutMs} ms`)), pdfReaderStartTimeoutMs)))]);
      return child;
    } catch (error) {
      if (current === child) current = null;
      await kill(child.process);
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
        const child = await readyChild();
        const stop = () => {
          if (current === child) current = null;
          void kill(child.process);
        };
        return ask({ child, id: (lastId += 1), limits: bounds, stop, closed: () => closed }, bytes);
      });
      queue = reading.catch(() => undefined);
      return reading;
    },
    pid: () => current?.process.pid ?? null,
    async close() {
      closed = true;
      const running = current;
      current = null;
      if (running) await kill(running.process);
    },
  };
}

/**
 * Reads a PDF receipt in `reader`'s child process: its text layer when it has one, otherwise
 * its first pages rendered for OCR (pdf-document.ts). Without a reader one is started and
 * stopped for this file.
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
