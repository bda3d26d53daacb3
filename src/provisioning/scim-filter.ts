// SCIM filters (RFC 7644, 3.4.2.2), the part identity providers send to find a resource before
// they create it: one attribute compared with `eq` to a string, e.g. `userName eq "a@b.com"`,
// joined by `and`. Anything else is refused as invalidFilter rather than read wrongly.

export interface ScimCondition {
  /** The attribute path as given, lower-cased (SCIM attribute names are case-insensitive). */
  attribute: string;
  value: string;
}

export type ScimFilterResult = { ok: true; conditions: ScimCondition[] } | { ok: false; reason: string };

/** Filters longer than this are refused: what IdPs send is far shorter. */
export const scimFilterLengthMax = 1000;

const conditionPattern = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

export function parseScimFilter(filter: string): ScimFilterResult {
  if (filter.length > scimFilterLengthMax) return { ok: false, reason: `a filter has at most ${scimFilterLengthMax} characters` };
  const parts = splitOnAnd(filter);
  const conditions: ScimCondition[] = [];
  for (const part of parts) {
    const match = conditionPattern.exec(part);
    if (!match) return { ok: false, reason: `only 'attribute eq "value"' conditions joined by 'and' are supported, not: ${part.trim()}` };
    let value: string;
    try {
      value = JSON.parse(`"${match[2]!}"`) as string;
    } catch {
      return { ok: false, reason: `the value ${match[2]!} is not a valid string` };
    }
    conditions.push({ attribute: match[1]!.toLowerCase(), value });
  }
  return { ok: true, conditions };
}

/** Splits on ` and ` outside quoted strings. */
function splitOnAnd(filter: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i];
    if (char === '\\' && quoted) i += 1;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(char!) && /^\s+and\s+/i.test(filter.slice(i))) {
      parts.push(filter.slice(start, i));
      const skip = /^\s+and\s+/i.exec(filter.slice(i))![0].length;
      i += skip - 1;
      start = i + 1;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}
