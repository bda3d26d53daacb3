// Which variant of a feature flag one evaluation gets: a pure decision over the flag as the
// database holds it and who is asking (company, person, roles). The rules are tried in their
// order and the first that matches decides; none matching gives the flag's default variant; a
// disabled flag gives none, and the caller falls back to the code's own default.
import { createHash } from 'node:crypto';

export const flagKinds = ['boolean', 'variant'] as const;
export type FlagKind = (typeof flagKinds)[number];

/** The variants of every boolean flag: 'on' reads as true, 'off' as false. */
export const booleanVariants = ['on', 'off'] as const;

/** Percentages are whole numbers; a bucket is one of this many slices of 100 %. */
export const bucketCount = 10_000;

export type TargetingRule =
  | { match: 'companies'; ids: string[]; variant: string }
  | { match: 'people'; ids: string[]; variant: string }
  | { match: 'roles'; roles: string[]; variant: string }
  | { match: 'percentage'; by: 'company' | 'person'; percentage: number; variant: string };

export type RuleMatch = TargetingRule['match'];
export const ruleMatches: readonly RuleMatch[] = ['companies', 'people', 'roles', 'percentage'];

export interface FlagDefinition {
  key: string;
  kind: FlagKind;
  variants: string[];
  defaultVariant: string;
  enabled: boolean;
  rules: TargetingRule[];
}

/** Who a flag is evaluated for; anything left out matches no rule that needs it. */
export interface FlagContext {
  companyId?: string | undefined;
  personId?: string | undefined;
  roles?: readonly string[] | undefined;
}

export type FlagResolution =
  | { reason: 'disabled'; variant: null }
  | { reason: 'targeting_match'; variant: string; rule: number }
  | { reason: 'split'; variant: string; rule: number }
  | { reason: 'default'; variant: string };

/**
 * The stable bucket (0 .. bucketCount - 1) of a company or person for one flag. The flag's key
 * is hashed in, so the first 10 % of one rollout are not always the first 10 % of the next;
 * the same key and id give the same bucket in every process and after every restart.
 */
export function bucketOf(flagKey: string, id: string): number {
  const digest = createHash('sha256').update(`${flagKey}\u0000${id}`).digest();
  return digest.readUInt32BE(0) % bucketCount;
}

function matchesRule(flagKey: string, rule: TargetingRule, context: FlagContext): boolean {
  switch (rule.match) {
    case 'companies':
      return context.companyId !== undefined && rule.ids.includes(context.companyId);
    case 'people':
      return context.personId !== undefined && rule.ids.includes(context.personId);
    case 'roles':
      return (context.roles ?? []).some((role) => rule.roles.includes(role));
    case 'percentage': {
      const id = rule.by === 'company' ? context.companyId : context.personId;
      return id !== undefined && bucketOf(flagKey, id) < rule.percentage * (bucketCount / 100);
    }
  }
}

export function resolveFlag(flag: FlagDefinition, context: FlagContext): FlagResolution {
  if (!flag.enabled) return { reason: 'disabled', variant: null };
  for (const [index, rule] of flag.rules.entries()) {
    if (!matchesRule(flag.key, rule, context)) continue;
    return rule.match === 'percentage' ? { reason: 'split', variant: rule.variant, rule: index } : { reason: 'targeting_match', variant: rule.variant, rule: index };
  }
  return { reason: 'default', variant: flag.defaultVariant };
}

/** What is wrong with a flag's variants, default and rules, or null when nothing is. The
 * management API and the command line both check a change with this before saving it. */
export function flagProblem(flag: Omit<FlagDefinition, 'enabled'>): { field: string; message: string } | null {
  if (flag.kind === 'boolean' && (flag.variants.length !== 2 || flag.variants[0] !== 'on' || flag.variants[1] !== 'off')) {
    return { field: 'variants', message: 'a boolean flag has the variants on and off' };
  }
  if (new Set(flag.variants).size !== flag.variants.length) return { field: 'variants', message: 'variants are named once each' };
  if (!flag.variants.includes(flag.defaultVariant)) return { field: 'defaultVariant', message: `the default variant must be one of ${flag.variants.join(', ')}` };
  for (const [index, rule] of flag.rules.entries()) {
    if (!flag.variants.includes(rule.variant)) return { field: `rules/${index}/variant`, message: `the variant must be one of ${flag.variants.join(', ')}` };
    if (rule.match === 'percentage' && !(Number.isInteger(rule.percentage) && rule.percentage >= 0 && rule.percentage <= 100)) {
      return { field: `rules/${index}/percentage`, message: 'a percentage is a whole number from 0 to 100' };
    }
  }
  return null;
}
