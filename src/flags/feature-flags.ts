// Feature flags as the features ask them: "is the simulator on for this company?", "which OCR
// engine does this company get?". src/flags sits in the base layer beside db and config so
// that any feature may ask; changing flags (routes, audit, the command line) is the feature
// module src/flag-management.
//
// Each server process starts the flags of its database once (startFeatureFlags): an OpenFeature
// provider over the feature_flags table, bound to a domain of its own so that several servers
// in one process (tests) never share one. Features find them by the database handle they
// already hold (flagsOf(db)), so no feature's signature changes to carry them; a handle no
// server started flags for (a one-shot command, a unit test) gets the code's defaults.
import { randomUUID } from 'node:crypto';
import { NOOP_PROVIDER, OpenFeature, type Client } from '@openfeature/server-sdk';
import type { Db } from '../db/database.js';
import { declaredFlags, type BooleanFlagKey, type VariantFlagKey } from './flag-catalog.js';
import type { FlagContext } from './flag-targeting.js';
import { DatabaseFlagProvider, type ProviderOptions } from './database-flag-provider.js';
import { declareFlags } from './flag-store.js';

export interface FeatureFlags {
  isOn(key: BooleanFlagKey, context: FlagContext): Promise<boolean>;
  /** The variant's name as stored: a variant this code does not know is the caller's to
   * replace with the default (see knownVariantOr). */
  variantOf(key: VariantFlagKey, context: FlagContext): Promise<string>;
}

const codeDefaultOf = (key: BooleanFlagKey | VariantFlagKey) => declaredFlags[key].codeDefault as string;

/** The flags with no database behind them: every flag gives the code's default. */
export const defaultFlags: FeatureFlags = {
  isOn: async (key) => codeDefaultOf(key) === 'on',
  variantOf: async (key) => codeDefaultOf(key),
};

const contextOf = (context: FlagContext) => ({
  ...(context.companyId ? { targetingKey: context.companyId, companyId: context.companyId } : {}),
  ...(context.personId ? { personId: context.personId } : {}),
  ...(context.roles ? { roles: [...context.roles] } : {}),
});

function clientFlags(client: Client): FeatureFlags {
  return {
    isOn: (key, context) => client.getBooleanValue(key, codeDefaultOf(key) === 'on', contextOf(context)),
    variantOf: (key, context) => client.getStringValue(key, codeDefaultOf(key), contextOf(context)),
  };
}

/** The variant when the code knows it, else the flag's code default. */
export function knownVariantOr<V extends string>(variant: string, known: readonly V[], fallback: V): V {
  return (known as readonly string[]).includes(variant) ? (variant as V) : fallback;
}

const started = new WeakMap<Db, RunningFlags>();

/** The flags of the process's handle on this database (code defaults if none were started). */
export function flagsOf(db: Db): FeatureFlags {
  return started.get(db)?.flags ?? defaultFlags;
}

/** Reads the flags of this handle again now, after this process changed one. A failure
 * here leaves the change to the next periodic refresh: the change itself is committed. */
export async function refreshFlagsOf(db: Db): Promise<void> {
  await started.get(db)?.refresh().catch(() => false);
}

export interface RunningFlags {
  flags: FeatureFlags;
  /** Reads changed flags now rather than at the next period (after a change this process made). */
  refresh(): Promise<boolean>;
  close(): Promise<void>;
}

/** Declares the code's flags in the database, loads them all and keeps them fresh. */
export async function startFeatureFlags(db: Db, options: ProviderOptions = {}): Promise<RunningFlags> {
  await declareFlags(db);
  const provider = new DatabaseFlagProvider(db, options);
  const domain = `outlay-${randomUUID()}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  const running: RunningFlags = {
    flags: clientFlags(OpenFeature.getClient(domain)),
    refresh: () => provider.refresh(),
    async close() {
      if (started.get(db) === running) started.delete(db);
      // Binding the no-op provider to the domain closes this one (the SDK closes a provider
      // no domain uses any more); onClose waits for a refresh under way.
      await OpenFeature.setProviderAndWait(domain, NOOP_PROVIDER);
      await provider.onClose();
    },
  };
  started.set(db, running);
  return running;
}
