// Feeds every parser its cases and sorts what comes back: an answer or the parser's own
// refusal is fine; any other thrown error is a crash, a case slower than the bound a hang, and
// heap that stays grown after the parser's cases (with a full collection) a leak.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { progress, Violations } from './verify-run.js';
import type { ParserTarget } from './parser-targets.js';

/** A single case slower than this counts as a hang (the parsers are bounded by their inputs' size). */
export const parserCaseMsMax = 2_000;
/** Heap still grown after a parser's cases, past this, counts as a leak. */
export const parserHeapGrowthBytesMax = 64 * 1024 * 1024;
/** Cases made by fast-check at once, each batch from its own seed. */
const batchSize = 1_000;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export interface ParserFigures {
  parser: string;
  entry: string;
  seed_files: number;
  cases: number;
  refused: number;
  crashed: number;
  hangs: number;
  slowest_case_ms: number;
  heap_growth_mb: number;
  seconds: number;
}

const shown = (input: unknown) => (Buffer.isBuffer(input) ? `${input.length} bytes, starting ${JSON.stringify(input.subarray(0, 120).toString('latin1'))}` : JSON.stringify(input, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))?.slice(0, 300));

export async function fuzzParser(target: ParserTarget, casesWanted: number, seed: number, violations: Violations): Promise<ParserFigures> {
  const cases = Math.max(batchSize, Math.round(casesWanted * target.share));
  const started = performance.now();
  const heapBefore = heapAfterCollection();
  let refused = 0;
  let crashed = 0;
  let hangs = 0;
  let slowest = 0;
  for (let done = 0, batch = 0; done < cases; batch++) {
    const inputs = fc.sample(target.input, { numRuns: Math.min(batchSize, cases - done), seed: seed + batch });
    for (const input of inputs) {
      const caseStarted = performance.now();
      try {
        await target.run(input);
      } catch (error) {
        if (target.isOwnError(error)) refused++;
        else {
          crashed++;
          violations.add(`${target.name} crashed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}) on ${shown(input)}; rerun with --seed ${seed}, batch ${batch}`);
        }
      }
      const took = performance.now() - caseStarted;
      slowest = Math.max(slowest, took);
      if (took > parserCaseMsMax) {
        hangs++;
        violations.add(`${target.name} took ${Math.round(took)} ms (bound ${parserCaseMsMax}) on ${shown(input)}`);
      }
    }
    done += inputs.length;
    if (batch % 100 === 99) progress(`  ${target.name}: ${done} of ${cases}`);
  }
  const growth = heapAfterCollection() - heapBefore;
  if (growth > parserHeapGrowthBytesMax) violations.add(`${target.name}: the heap grew ${Math.round(growth / 2 ** 20)} MB over its cases (bound ${parserHeapGrowthBytesMax / 2 ** 20} MB)`);
  const figures: ParserFigures = {
    parser: target.name,
    entry: target.entry,
    seed_files: target.seedFiles,
    cases,
    refused,
    crashed,
    hangs,
    slowest_case_ms: Math.round(slowest * 10) / 10,
    heap_growth_mb: Math.round((growth / 2 ** 20) * 10) / 10,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  progress(`  ${JSON.stringify(figures)}`);
  return figures;
}
