// How feature flags look in the API, and the shapes a change of one may take.
import { Type } from 'typebox';
import { operatorRole, roles } from '../auth/permissions.js';
import { iso } from '../http/schemas.js';
import type { StoredFlag } from './flag-management.service.js';

/** A flag lists at most this many rules, ids in a rule and variants: enough for a rollout
 * company by company, small enough that every process keeps them all in memory. */
export const rulesMax = 50;
export const ruleIdsMax = 1000;
export const variantsMax = 20;

const Variant = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_-]*$' });
const Ids = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: ruleIdsMax });
const RoleName = Type.Union([...roles, operatorRole].map((role) => Type.Literal(role)));

export const FlagRuleSchema = Type.Union(
  [
    Type.Object({ match: Type.Literal('companies'), ids: Ids, variant: Variant }, { additionalProperties: false }),
    Type.Object({ match: Type.Literal('people'), ids: Ids, variant: Variant }, { additionalProperties: false }),
    Type.Object({ match: Type.Literal('roles'), roles: Type.Array(RoleName, { minItems: 1, maxItems: 5 }), variant: Variant }, { additionalProperties: false }),
    Type.Object({
      match: Type.Literal('percentage'),
      by: Type.Union([Type.Literal('company'), Type.Literal('person')], { description: 'Whose stable bucket decides: the company\'s or the person\'s' }),
      percentage: Type.Integer({ minimum: 0, maximum: 100 }),
      variant: Variant,
    }, { additionalProperties: false }),
  ],
  { $id: 'FlagRule', description: 'Tried in order; the first that matches gives its variant' },
);

export const FeatureFlagSchema = Type.Object(
  {
    key: Type.String(),
    kind: Type.Union([Type.Literal('boolean'), Type.Literal('variant')], { description: 'A boolean flag has the variants on and off' }),
    description: Type.String(),
    enabled: Type.Boolean({ description: 'A disabled flag gives the code\'s own default everywhere' }),
    variants: Type.Array(Type.String()),
    defaultVariant: Type.String({ description: 'What a flag gives when no rule matches' }),
    rules: Type.Array(Type.Ref('FlagRule')),
    updatedAt: Type.String({ format: 'date-time' }),
    updatedBy: Type.Union([Type.String(), Type.Null()], { description: 'The person\'s id, "cli" for the command line, or "system"' }),
  },
  { $id: 'FeatureFlag' },
);

export const FlagPatch = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean()),
    variants: Type.Optional(Type.Array(Variant, { minItems: 1, maxItems: variantsMax })),
    defaultVariant: Type.Optional(Variant),
    rules: Type.Optional(Type.Array(Type.Ref('FlagRule'), { maxItems: rulesMax })),
  },
  { additionalProperties: false },
);

export const presentFlag = (flag: StoredFlag) => ({
  key: flag.key,
  kind: flag.kind,
  description: flag.description,
  enabled: flag.enabled,
  variants: flag.variants,
  defaultVariant: flag.defaultVariant,
  rules: flag.rules,
  updatedAt: iso(flag.updatedAt),
  updatedBy: flag.updatedBy,
});
