// `outlay flags`: the platform's feature flags from the command line, changed through the same
// service as the operators' page and audited the same way, with the command line as the actor.
// Processes read a change within seconds; nothing needs restarting.
import { InvalidArgumentError, type Command } from 'commander';
import { systemActor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import type { TargetingRule } from '../flags/flag-targeting.js';
import { DomainError } from '../shared/errors.js';
import { changeFeatureFlag, getFeatureFlag, listFeatureFlags, type FlagChange, type StoredFlag } from './flag-management.service.js';

export interface FlagsCliIo {
  out(text: string): void;
  /** A migrated database with the platform company and the declared flags in it. */
  withDb<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

interface SetOptions {
  enabled?: boolean;
  disabled?: boolean;
  default?: string;
  variants?: string[];
  description?: string;
  clearRules?: boolean;
  companies?: string[];
  people?: string[];
  roles?: string[];
  percentage?: number;
  by: 'company' | 'person';
  variant?: string;
}

const list = (value: string) => value.split(',').map((item) => item.trim()).filter((item) => item !== '');

function percentageOf(value: string): number {
  const percentage = Number(value);
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > 100) throw new InvalidArgumentError('a whole number from 0 to 100');
  return percentage;
}

function byOf(value: string): 'company' | 'person' {
  if (value !== 'company' && value !== 'person') throw new InvalidArgumentError('company or person');
  return value;
}

function ruleText(rule: TargetingRule): string {
  switch (rule.match) {
    case 'companies':
      return `companies ${rule.ids.join(', ')} -> ${rule.variant}`;
    case 'people':
      return `people ${rule.ids.join(', ')} -> ${rule.variant}`;
    case 'roles':
      return `roles ${rule.roles.join(', ')} -> ${rule.variant}`;
    case 'percentage':
      return `${rule.percentage} % of ${rule.by === 'company' ? 'companies' : 'people'} -> ${rule.variant}`;
  }
}

function flagText(flag: StoredFlag): string[] {
  return [
    `${flag.key} (${flag.kind}): ${flag.enabled ? 'enabled' : 'disabled (the code\'s default everywhere)'}`,
    `  ${flag.description}`,
    `  variants: ${flag.variants.join(', ')}; default: ${flag.defaultVariant}`,
    ...(flag.rules.length === 0 ? ['  rules: none'] : ['  rules, first match wins:', ...flag.rules.map((rule, index) => `    ${index + 1}. ${ruleText(rule)}`)]),
    `  changed ${flag.updatedAt.toISOString()} by ${flag.updatedBy ?? 'nobody'}`,
  ];
}

/** The rules the options add, in a fixed order, after the flag's own (or none, with --clear-rules). */
function rulesOf(current: TargetingRule[], options: SetOptions): TargetingRule[] | undefined {
  const added: TargetingRule[] = [];
  const wantsVariant = options.companies || options.people || options.roles || options.percentage !== undefined;
  if (wantsVariant && !options.variant) throw new DomainError('validation_failed', 'a rule (--companies, --people, --roles, --percentage) needs --variant', 'variant');
  const variant = options.variant!;
  if (options.companies) added.push({ match: 'companies', ids: options.companies, variant });
  if (options.people) added.push({ match: 'people', ids: options.people, variant });
  if (options.roles) added.push({ match: 'roles', roles: options.roles, variant });
  if (options.percentage !== undefined) added.push({ match: 'percentage', by: options.by, percentage: options.percentage, variant });
  if (!options.clearRules && added.length === 0) return undefined;
  return [...(options.clearRules ? [] : current), ...added];
}

export function registerFlagCommands(root: Command, io: FlagsCliIo): void {
  const flags = root.command('flags').description('the platform\'s feature flags (every server sees a change within seconds)');

  flags.command('list').description('every flag, whether it is on, its default and how many rules it has').action(async () => {
    for (const flag of await io.withDb((db) => listFeatureFlags(db))) {
      io.out(`${flag.key}\t${flag.kind}\t${flag.enabled ? 'enabled' : 'disabled'}\tdefault ${flag.defaultVariant}\t${flag.rules.length} rule${flag.rules.length === 1 ? '' : 's'}`);
    }
  });

  flags.command('show').description('one flag with its variants and rules').argument('<key>', 'the flag').action(async (key: string) => {
    for (const line of flagText(await io.withDb((db) => getFeatureFlag(db, key)))) io.out(line);
  });

  flags
    .command('set')
    .description('change a flag (audited in the platform\'s trail); rule options add one rule each after the flag\'s rules')
    .argument('<key>', 'the flag')
    .option('--enabled', 'switch the flag on: its rules and default decide')
    .option('--disabled', 'switch the flag off: the code\'s default everywhere')
    .option('--default <variant>', 'the variant when no rule matches')
    .option('--variants <list>', 'the variants of a variant flag, comma-separated', list)
    .option('--description <text>', 'what the flag is for')
    .option('--clear-rules', 'remove the flag\'s rules first')
    .option('--companies <ids>', 'add a rule: these companies (comma-separated ids) get --variant', list)
    .option('--people <ids>', 'add a rule: these people (comma-separated ids) get --variant', list)
    .option('--roles <roles>', 'add a rule: people with any of these roles get --variant', list)
    .option('--percentage <n>', 'add a rule: this share (0-100) of companies, or of people with --by person, gets --variant', percentageOf)
    .option('--by <whom>', 'whose stable bucket a percentage counts: company or person', byOf, 'company')
    .option('--variant <variant>', 'the variant the added rules give (on/off for a boolean flag)')
    .action(async (key: string, options: SetOptions) => {
      if (options.enabled && options.disabled) throw new DomainError('validation_failed', 'say --enabled or --disabled, not both', 'enabled');
      const flag = await io.withDb(async (db) => {
        const current = await getFeatureFlag(db, key);
        const rules = rulesOf(current.rules, options);
        const change: FlagChange = {
          ...(options.enabled ? { enabled: true } : options.disabled ? { enabled: false } : {}),
          ...(options.default !== undefined ? { defaultVariant: options.default } : {}),
          ...(options.variants ? { variants: options.variants } : {}),
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(rules ? { rules } : {}),
        };
        return changeFeatureFlag(db, { ...systemActor, via: 'cli' }, key, change, new Date());
      });
      for (const line of flagText(flag)) io.out(line);
    });
}
