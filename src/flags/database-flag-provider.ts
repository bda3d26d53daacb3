// An OpenFeature provider serving the flags of Outlay's database from memory. It loads every
// flag when it starts and then asks the database every refresh period for one cheap
// fingerprint (the sum of the rows' revisions), reading the flags again only when that
// changed. Polling rather than LISTEN/NOTIFY works the same on PostgreSQL and on PGlite, and
// costs one indexed aggregate over a table of a few dozen rows. Evaluating a flag runs no SQL,
// so hot paths (card authorization) may ask on every request.
import {
  ErrorCode,
  FlagNotFoundError,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  TypeMismatchError,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import type { Db } from '../db/database.js';
import { flagsFingerprint, listFlags, type StoredFlag } from './flag-store.js';
import { resolveFlag, type FlagContext, type FlagDefinition, type FlagResolution } from './flag-targeting.js';

/** How often each process looks for changed flags: a change is seen everywhere within this. */
export const flagRefreshIntervalMs = 2_000;

const reasonOf: Record<FlagResolution['reason'], string> = {
  disabled: StandardResolutionReasons.DISABLED,
  targeting_match: StandardResolutionReasons.TARGETING_MATCH,
  split: StandardResolutionReasons.SPLIT,
  default: StandardResolutionReasons.DEFAULT,
};

/** Outlay's evaluation context: the company, the person and their roles, when known. */
export function flagContextOf(context: EvaluationContext): FlagContext {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const roles = Array.isArray(context.roles) ? context.roles.filter((role): role is string => typeof role === 'string') : undefined;
  return { companyId: text(context.companyId), personId: text(context.personId), roles };
}

export interface ProviderOptions {
  refreshIntervalMs?: number;
  /** A refresh that failed; the flags read before stay in use and the next period tries again. */
  onRefreshError?: (error: unknown) => void;
}

export class DatabaseFlagProvider implements Provider {
  readonly metadata = { name: 'outlay-database' } as const;
  readonly runsOn = 'server' as const;
  readonly domainScoped = true;
  readonly events = new OpenFeatureEventEmitter();

  #flags = new Map<string, StoredFlag>();
  #fingerprint: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  #refreshing: Promise<boolean> | null = null;
  readonly #db: Db;
  readonly #options: ProviderOptions;

  constructor(db: Db, options: ProviderOptions = {}) {
    this.#db = db;
    this.#options = options;
  }

  async initialize(): Promise<void> {
    await this.refresh();
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.#options.onRefreshError?.(error));
    }, this.#options.refreshIntervalMs ?? flagRefreshIntervalMs);
    this.#timer.unref();
  }

  async onClose(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#refreshing?.catch(() => false);
  }

  /** Reads the flags again if any changed since the last read; true when they did. One
   * refresh runs at a time: a second caller waits for the one under way. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#reload().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #reload(): Promise<boolean> {
    const fingerprint = await flagsFingerprint(this.#db);
    if (fingerprint === this.#fingerprint) return false;
    // A change committed between the two reads is in the list and makes the next
    // fingerprint differ again: read twice then, never missed.
    const flags = await listFlags(this.#db);
    const before = this.#flags;
    this.#flags = new Map(flags.map((flag) => [flag.key, flag]));
    const first = this.#fingerprint === null;
    this.#fingerprint = fingerprint;
    if (!first) {
      const changed = [...new Set([...before.keys(), ...this.#flags.keys()])].filter((key) => before.get(key)?.revision !== this.#flags.get(key)?.revision);
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed });
    }
    return true;
  }

  #resolve(key: string, kind: FlagDefinition['kind'], context: EvaluationContext): { flag: FlagDefinition; resolution: FlagResolution } {
    const flag = this.#flags.get(key);
    if (!flag) throw new FlagNotFoundError(`no flag ${key}`);
    if (flag.kind !== kind) throw new TypeMismatchError(`flag ${key} is a ${flag.kind} flag`);
    return { flag, resolution: resolveFlag(flag, flagContextOf(context)) };
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    const { resolution } = this.#resolve(key, 'boolean', context);
    if (resolution.variant === null) return { value: defaultValue, reason: reasonOf.disabled };
    return { value: resolution.variant === 'on', variant: resolution.variant, reason: reasonOf[resolution.reason] };
  }

  async resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    const { resolution } = this.#resolve(key, 'variant', context);
    if (resolution.variant === null) return { value: defaultValue, reason: reasonOf.disabled };
    return { value: resolution.variant, variant: resolution.variant, reason: reasonOf[resolution.reason] };
  }

  async resolveNumberEvaluation(key: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `flag ${key}: Outlay's flags are booleans or variants` };
  }

  async resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `flag ${key}: Outlay's flags are booleans or variants` };
  }
}
