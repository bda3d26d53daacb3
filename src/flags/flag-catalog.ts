// The flags Outlay's code asks, each with the default the code falls back to when the flag is
// unknown, disabled or names a variant this version does not have. A fresh database gets a row
// for each on start (declareFlags), so operators find them all in the list from the first day.
import type { FlagKind } from './flag-targeting.js';

export interface DeclaredFlag {
  kind: FlagKind;
  description: string;
  /** The variants a new row starts with; for a variant flag, the ones this code knows. */
  variants: readonly string[];
  /** The code's own default: what a disabled or unknown flag gives. */
  codeDefault: string;
}

export const declaredFlags = {
  simulator: {
    kind: 'boolean',
    description: 'The admin\'s purchase simulator, per company (OUTLAY_SIMULATOR stays the outer switch: off there is off everywhere)',
    variants: ['on', 'off'],
    codeDefault: 'on',
  },
  'card-auto-freeze': {
    kind: 'boolean',
    description: 'The receipt sweep freezes cards whose receipts are overdue, in companies that ask for it',
    variants: ['on', 'off'],
    codeDefault: 'on',
  },
  'ocr-engine': {
    kind: 'variant',
    description: 'The engine that reads receipt images, per company: tesseract, paddle (PaddleOCR) or paddle+tesseract',
    variants: ['tesseract', 'paddle', 'paddle+tesseract'],
    codeDefault: 'tesseract',
  },
  'authorization-engine': {
    kind: 'variant',
    description: 'The engine that decides card authorizations, per company, so a new one is rolled out company by company',
    variants: ['standard', 'batched'],
    codeDefault: 'batched',
  },
} as const satisfies Record<string, DeclaredFlag>;

export type DeclaredFlagKey = keyof typeof declaredFlags;
export type BooleanFlagKey = { [K in DeclaredFlagKey]: (typeof declaredFlags)[K]['kind'] extends 'boolean' ? K : never }[DeclaredFlagKey];
export type VariantFlagKey = Exclude<DeclaredFlagKey, BooleanFlagKey>;
