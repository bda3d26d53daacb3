// npm run verify -- --json [--short]: every part of the verification suite, each in its own
// process, and one JSON line that sums them up; exits 1 when any part found a violation.
// The crash, race and failover parts mostly wait on starting server processes and on PostgreSQL, so they
// run beside the others, one after the other.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/shared/project-root.js';
import { progress, verifyOptions } from './verify-run.js';

/**
 * Parts run one after the other in the first lane, and the crash, race and failover parts in
 * the second. The failover part runs in the long form only: it starts its own PostgreSQL pair
 * and three server processes, over a minute on this machine kind even for one failover.
 */
const lanesOf = (short: boolean) => [['fuzz', 'tenancy'], ['crash', 'race', ...(short ? [] : ['failover'])]];
/** Parts that run alone after the lanes, the machine to themselves: the soak measures latency
 * and growth at half the maximum rate, which other parts beside it would distort. */
const aloneAfter = (short: boolean) => (short ? [] : ['soak']);

interface PartOutcome {
  part: string;
  exitCode: number | null;
  result: Record<string, unknown> | null;
}

function runPartProcess(part: string, args: string[]): Promise<PartOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'verify', `${part}.ts`), ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (exitCode) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      let result: Record<string, unknown> | null = null;
      try {
        result = JSON.parse(line) as Record<string, unknown>;
      } catch {
        result = null;
      }
      resolve({ part, exitCode, result });
    });
  });
}

const options = verifyOptions();
const args = [...(options.short ? ['--short'] : []), '--seed', String(options.seed)];
const started = performance.now();
const outcomes = (await Promise.all(lanesOf(options.short).map(async (parts) => {
  const done: PartOutcome[] = [];
  for (const part of parts) {
    progress(`verify: ${part} started`);
    done.push(await runPartProcess(part, args));
    progress(`verify: ${part} done`);
  }
  return done;
}))).flat();
for (const part of aloneAfter(options.short)) {
  progress(`verify: ${part} started`);
  outcomes.push(await runPartProcess(part, args));
  progress(`verify: ${part} done`);
}

/** Violations of a failed part repeated in the summary line. */
const violationsShown = 3;

const figure = (part: string, ...keys: string[]) => {
  let value: unknown = outcomes.find((outcome) => outcome.part === part)?.result;
  for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
  return value ?? null;
};
const summary = {
  verify: options.short ? 'short' : 'long',
  ok: outcomes.every((outcome) => outcome.exitCode === 0 && outcome.result?.ok === true),
  seconds: Math.round((performance.now() - started) / 100) / 10,
  parts: Object.fromEntries(outcomes.map((outcome) => {
    const violations = outcome.result?.violations as string[] | undefined;
    // A failed part says why here too: its own line is gone with its process.
    const shown = violations && violations.length > 0 ? { first_violations: violations.slice(0, violationsShown).map((text) => text.slice(0, 600)) } : {};
    return [outcome.part, { ok: outcome.exitCode === 0 && outcome.result?.ok === true, seconds: outcome.result?.seconds ?? null, violations: violations?.length ?? 'the part printed no result', ...shown }];
  })),
  fuzz: {
    cases_per_parser: Object.fromEntries(((figure('fuzz', 'parsers') as { parser: string; cases: number }[] | null) ?? []).map((parser) => [parser.parser, parser.cases])),
    crashed: figure('fuzz', 'crashed'),
    hangs: figure('fuzz', 'hangs'),
    api_routes: figure('fuzz', 'api', 'routes'),
    api_requests: figure('fuzz', 'api', 'requests'),
    api_5xx: figure('fuzz', 'api', 'server_5xx'),
  },
  tenancy: { routes: figure('tenancy', 'routes'), actors: figure('tenancy', 'actors'), requests: figure('tenancy', 'requests'), leaked: figure('tenancy', 'leaked'), tables_changed: figure('tenancy', 'tables_changed'), server_5xx: figure('tenancy', 'server_5xx') },
  crash: {
    cycles: figure('crash', 'cycles'),
    postgres_restarts: figure('crash', 'postgres_restarts'),
    requests: figure('crash', 'requests'),
    requests_by_kind: figure('crash', 'requests_by_kind'),
    acknowledged: figure('crash', 'acknowledged'),
    lost: figure('crash', 'lost'),
    duplicated: figure('crash', 'duplicated'),
    half_written: figure('crash', 'half_written'),
    seconds_without_service: figure('crash', 'seconds_without_service'),
    ledger_verify: figure('crash', 'ledger_verify'),
  },
  race: {
    processes: figure('race', 'processes'),
    senders: figure('race', 'senders'),
    messages: figure('race', 'messages'),
    messages_by_type: figure('race', 'messages_by_type'),
    approvals: figure('race', 'approvals'),
    declines_by_reason: figure('race', 'declines_by_reason'),
    repeat_answer_mismatches: figure('race', 'repeat_answer_mismatches'),
    duplicated: figure('race', 'duplicated'),
    review_requests: figure('race', 'expenses', 'review_requests'),
    decided_twice: figure('race', 'expenses', 'decided_twice'),
    payout_requests: figure('race', 'expenses', 'payout_requests'),
    mark_paid_requests: figure('race', 'expenses', 'mark_paid_requests'),
    paid_twice: figure('race', 'expenses', 'paid_twice'),
    export_requests: figure('race', 'expenses', 'export_requests'),
    exported_twice: figure('race', 'expenses', 'exported_twice'),
    server_5xx: figure('race', 'expenses', 'server_5xx'),
    ledger_verify: figure('race', 'ledger_verify'),
  },
  failover: options.short
    ? 'long form only'
    : {
        failovers: figure('failover', 'failovers'),
        requests: figure('failover', 'requests'),
        acknowledged: figure('failover', 'acknowledged'),
        acknowledged_approvals: figure('failover', 'acknowledged_approvals'),
        lost: figure('failover', 'lost'),
        duplicated: figure('failover', 'duplicated'),
        seconds_without_service: figure('failover', 'seconds_without_service'),
        ledger_verify: figure('failover', 'ledger_verify'),
      },
  soak: options.short
    ? 'long form only'
    : {
        minutes: figure('soak', 'minutes'),
        maximum_messages_per_second: figure('soak', 'maximum_messages_per_second'),
        rate_messages_per_second: figure('soak', 'rate_messages_per_second'),
        requests: figure('soak', 'requests'),
        memory_mib_first_last: figure('soak', 'memory_mib_first_last'),
        connections_first_last: figure('soak', 'connections_first_last'),
        queued_first_last: figure('soak', 'queued_first_last'),
        p99_ms_first_last: figure('soak', 'p99_ms_first_last'),
        lost: figure('soak', 'lost'),
        duplicated: figure('soak', 'duplicated'),
        ledger_verify: figure('soak', 'ledger_verify'),
      },
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(summary.ok ? 0 : 1);
