// How banks write the same thing differently: IBANs with or without spaces, and references
// that say there is none.

export const compactIban = (text: string | null) => (text ?? '').replace(/\s+/g, '').toUpperCase();

/** References banks write when there is none: they name no transfer. */
const placeholderReferences = new Set(['', 'NOTPROVIDED', 'NONREF', 'NONE', 'N/A', 'NA']);

/** The reference as written, or null where the bank wrote a placeholder. */
export const realReference = (reference: string | null) => (reference && !placeholderReferences.has(reference.trim().toUpperCase()) ? reference.trim() : null);
