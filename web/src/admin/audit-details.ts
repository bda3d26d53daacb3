// What an audit event changed, in a line a person reads.

/** Details as short lines: a changed field as "field: before → after", anything else as its value. */
export function detailLines(details: Record<string, unknown>): string[] {
  return Object.entries(details).map(([key, value]) => {
    if (value !== null && typeof value === 'object' && 'to' in value) {
      const change = value as { from?: unknown; to: unknown };
      return `${key}: ${shortValue(change.from)} → ${shortValue(change.to)}`;
    }
    return `${key}: ${shortValue(value)}`;
  });
}

const detailValueLengthMax = 80;

function shortValue(value: unknown): string {
  const text = value === undefined || value === null ? '–' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > detailValueLengthMax ? `${text.slice(0, detailValueLengthMax - 1)}…` : text;
}
