// What every part of the verification suite shares: its options (--short, --json, --seed),
// the one JSON line it prints, and its exit code (1 on any violation).
import { parseArgs } from 'node:util';

export interface VerifyOptions {
  short: boolean;
  json: boolean;
  seed: number;
}

export function verifyOptions(argv = process.argv.slice(2)): VerifyOptions {
  const { values } = parseArgs({ args: argv, options: { short: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, seed: { type: 'string', default: '20261206' } }, strict: false });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  return { short: values.short === true, json: values.json === true, seed };
}

/** Progress for a person watching; kept off stdout, which carries the one JSON line. */
export function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

export interface PartResult {
  part: string;
  ok: boolean;
  seconds: number;
  violations: string[];
  [figure: string]: unknown;
}

/**
 * Runs a part, prints its result as one JSON line and exits: 0 when it found nothing wrong,
 * 1 on any violation or when the part itself failed to run.
 */
export async function runPart(part: string, body: (options: VerifyOptions) => Promise<Record<string, unknown> & { violations: string[] }>): Promise<void> {
  const options = verifyOptions();
  const started = performance.now();
  let result: PartResult;
  try {
    const found = await body(options);
    result = { part, short: options.short, seed: options.seed, ...found, ok: found.violations.length === 0, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } catch (error) {
    result = { part, short: options.short, seed: options.seed, ok: false, seconds: Math.round((performance.now() - started) / 100) / 10, violations: [`the part could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`] };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // Servers, pools and timers of the part are not waited for.
  process.exit(result.ok ? 0 : 1);
}

/** Keeps the first few violations of a kind in full and counts the rest. */
export class Violations {
  readonly list: string[] = [];
  private dropped = 0;
  constructor(private readonly kept = 40) {}

  add(text: string): void {
    if (this.list.length < this.kept) this.list.push(text.slice(0, 600));
    else this.dropped++;
  }

  get all(): string[] {
    return this.dropped > 0 ? [...this.list, `... and ${this.dropped} more`] : this.list;
  }
}
