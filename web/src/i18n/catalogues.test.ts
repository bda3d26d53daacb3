// The catalogues hold every key the code uses, and English and Danish hold the same keys
// with the same placeholders, so no person ever reads a raw key or an empty {{gap}}.
import { describe, expect, it } from 'vitest';
import { da } from './da';
import { en } from './en';

// Every source file of the web app as text (Vite's glob import, which Vitest runs too).
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.d.ts'], { query: '?raw', import: 'default', eager: true });
const pluralSuffixes = ['_zero', '_one', '_two', '_few', '_many', '_other'];

function flatten(catalogue: object, prefix = ''): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [name, value] of Object.entries(catalogue)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') keys.set(key, value);
    else for (const [inner, text] of flatten(value as object, key)) keys.set(inner, text);
  }
  return keys;
}

/** Keys passed to t() as a literal, and the literal start of a key built with `${…}`. */
export function keysUsedIn(source: string): { exact: string[]; prefixes: string[] } {
  const exact = [...source.matchAll(/\bt\(\s*(['"])([\w.-]+)\1/g)].map((match) => match[2]!);
  const prefixes = [...source.matchAll(/\bt\(\s*`([\w.-]*)\$\{/g), ...source.matchAll(/\blabelsOf\(\s*'([\w.-]+)'/g)].map((match) => match[1]!);
  return { exact, prefixes };
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]).sort();

const english = flatten(en);
const danish = flatten(da);

function hasKey(catalogue: Map<string, string>, key: string): boolean {
  return catalogue.has(key) || pluralSuffixes.some((suffix) => catalogue.has(`${key}${suffix}`));
}

describe('message catalogues', () => {
  const used = Object.entries(sources).map(([file, source]) => ({ file, ...keysUsedIn(source) }));

  it('finds the keys the code uses (the scan itself works)', () => {
    expect(keysUsedIn("t('a.b'); t(\"c\", { count }); t(`problems.codes.${code}`); labelsOf('d.e', en.d.e)")).toEqual({ exact: ['a.b', 'c'], prefixes: ['problems.codes.', 'd.e'] });
    expect(used.length).toBeGreaterThan(100);
    expect(used.flatMap((file) => file.exact).length).toBeGreaterThan(50);
  });

  it.each([
    ['English', english],
    ['Danish', danish],
  ])('the %s catalogue has every key the code uses', (_name, catalogue) => {
    const missing = used.flatMap(({ file, exact, prefixes }) => [
      ...exact.filter((key) => !hasKey(catalogue, key)).map((key) => `${file}: ${key}`),
      ...prefixes.filter((prefix) => ![...catalogue.keys()].some((key) => key.startsWith(prefix))).map((prefix) => `${file}: ${prefix}…`),
    ]);
    expect(missing).toEqual([]);
  });

  it('English and Danish have the same keys', () => {
    expect([...danish.keys()].filter((key) => !english.has(key))).toEqual([]);
    expect([...english.keys()].filter((key) => !danish.has(key))).toEqual([]);
  });

  it('each Danish text has the placeholders of its English text, and none is empty', () => {
    const differing = [...english].filter(([key, text]) => JSON.stringify(placeholders(text)) !== JSON.stringify(placeholders(danish.get(key) ?? '')));
    expect(differing.map(([key]) => key)).toEqual([]);
    expect([...english, ...danish].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });
});
