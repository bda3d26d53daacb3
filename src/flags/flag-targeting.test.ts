import { describe, expect, it } from 'vitest';
import { bucketCount, bucketOf, flagProblem, resolveFlag, ruleMatches, type FlagContext, type FlagDefinition, type FlagResolution, type TargetingRule } from './flag-targeting.js';

const engine = (rules: TargetingRule[], enabled = true): FlagDefinition => ({
  key: 'authorization-engine',
  kind: 'variant',
  variants: ['standard', 'batched'],
  defaultVariant: 'standard',
  enabled,
  rules,
});

// The bucket of company "co_d" for this flag is below 30 %, that of "co_e" at or above it
// (asserted in the test below, so a change of hash cannot quietly turn these rows around).
const inside = 'co_d';
const outside = 'co_e';

const byCompany: TargetingRule = { match: 'companies', ids: ['co_1'], variant: 'batched' };
const byPerson: TargetingRule = { match: 'people', ids: ['u_1'], variant: 'batched' };
const byRole: TargetingRule = { match: 'roles', roles: ['operator'], variant: 'batched' };
const byShare: TargetingRule = { match: 'percentage', by: 'company', percentage: 30, variant: 'batched' };
const stayStandard: TargetingRule = { match: 'companies', ids: ['co_1'], variant: 'standard' };

// One row a case, in precedence order: disabled first, then the rules in their order, then the default.
const cases: [name: string, flag: FlagDefinition, context: FlagContext, expected: FlagResolution][] = [
  ['a disabled flag gives no variant, whatever matches', engine([byCompany], false), { companyId: 'co_1' }, { reason: 'disabled', variant: null }],
  ['a company named in a rule gets its variant', engine([byCompany]), { companyId: 'co_1' }, { reason: 'targeting_match', variant: 'batched', rule: 0 }],
  ['a person named in a rule gets its variant', engine([byPerson]), { companyId: 'co_2', personId: 'u_1' }, { reason: 'targeting_match', variant: 'batched', rule: 0 }],
  ['a person holding one of the roles gets its variant', engine([byRole]), { companyId: 'co_2', roles: ['admin', 'operator'] }, { reason: 'targeting_match', variant: 'batched', rule: 0 }],
  ['a company inside the percentage gets its variant', engine([byShare]), { companyId: inside }, { reason: 'split', variant: 'batched', rule: 0 }],
  ['a company outside the percentage gets the default', engine([byShare]), { companyId: outside }, { reason: 'default', variant: 'standard' }],
  ['the first matching rule wins over a later one', engine([stayStandard, byShare, byCompany]), { companyId: 'co_1' }, { reason: 'targeting_match', variant: 'standard', rule: 0 }],
  ['a rule that does not match passes to the next', engine([byPerson, byCompany]), { companyId: 'co_1', personId: 'u_9' }, { reason: 'targeting_match', variant: 'batched', rule: 1 }],
  ['a rule needing a person does not match without one', engine([byPerson]), { companyId: 'co_1' }, { reason: 'default', variant: 'standard' }],
  ['a percentage by person does not match without one', engine([{ ...byShare, by: 'person', percentage: 100 }]), { companyId: 'co_1' }, { reason: 'default', variant: 'standard' }],
  ['100 % takes everyone with the id', engine([{ ...byShare, percentage: 100 }]), { companyId: outside }, { reason: 'split', variant: 'batched', rule: 0 }],
  ['0 % takes no one', engine([{ ...byShare, percentage: 0 }]), { companyId: inside }, { reason: 'default', variant: 'standard' }],
  ['no rule matching gives the default variant', engine([byCompany, byRole]), { companyId: 'co_2', roles: ['employee'] }, { reason: 'default', variant: 'standard' }],
];

describe('resolveFlag', () => {
  it.each(cases)('%s', (_name, flag, context, expected) => {
    expect(resolveFlag(flag, context)).toEqual(expected);
  });

  it('has a case for every kind of rule', () => {
    const covered = new Set(cases.flatMap(([, flag]) => flag.rules.map((rule) => rule.match)));
    expect([...covered].sort()).toEqual([...ruleMatches].sort());
  });

  it('puts the test companies on the sides of 30 % the table says', () => {
    expect(bucketOf('authorization-engine', inside)).toBeLessThan(0.3 * bucketCount);
    expect(bucketOf('authorization-engine', outside)).toBeGreaterThanOrEqual(0.3 * bucketCount);
  });
});

describe('bucketOf', () => {
  it('gives the same bucket for the same flag and id, and differs between flags', () => {
    expect(bucketOf('ocr-engine', 'co_1')).toBe(bucketOf('ocr-engine', 'co_1'));
    const ids = Array.from({ length: 50 }, (_, index) => `co_${index}`);
    expect(ids.map((id) => bucketOf('ocr-engine', id))).not.toEqual(ids.map((id) => bucketOf('simulator', id)));
  });

  it('spreads ids evenly enough that a 30 % rollout takes about 30 % of them', () => {
    const ids = Array.from({ length: 4000 }, (_, index) => `company_${index}`);
    const taken = ids.filter((id) => bucketOf('authorization-engine', id) < 0.3 * bucketCount).length / ids.length;
    expect(taken).toBeGreaterThan(0.27);
    expect(taken).toBeLessThan(0.33);
  });
});

describe('flagProblem', () => {
  const base = { key: 'ocr-engine', kind: 'variant' as const, variants: ['tesseract', 'other'], defaultVariant: 'tesseract', rules: [] };
  it.each([
    ['a boolean flag with other variants', { ...base, kind: 'boolean' as const }, 'variants'],
    ['a variant named twice', { ...base, variants: ['tesseract', 'tesseract'] }, 'variants'],
    ['a default that is no variant', { ...base, defaultVariant: 'nope' }, 'defaultVariant'],
    ['a rule giving no variant of the flag', { ...base, rules: [{ match: 'companies', ids: ['c'], variant: 'nope' } as TargetingRule] }, 'rules/0/variant'],
    ['a percentage above 100', { ...base, rules: [{ match: 'percentage', by: 'company', percentage: 101, variant: 'other' } as TargetingRule] }, 'rules/0/percentage'],
  ])('refuses %s', (_name, flag, field) => {
    expect(flagProblem(flag)?.field).toBe(field);
  });

  it('accepts a consistent flag', () => {
    expect(flagProblem({ ...base, rules: [{ match: 'percentage', by: 'person', percentage: 50, variant: 'other' }] })).toBeNull();
  });
});
