import { describe, expect, it } from 'vitest';
import { firstNonText, isText } from './request-text.js';

describe('isText', () => {
  it.each([
    ['plain', true],
    ['', true],
    ['Emma Nørgaard 😀', true],
    ['a\u0000b', false],
    ['\ud800', false],
    ['x\udc00', false],
    ['\ud83d\ude00', true],
    ['\ude00\ud83d', false],
  ])('%j is text: %s', (value, expected) => {
    expect(isText(value)).toBe(expected);
  });
});

describe('firstNonText', () => {
  it('names the path of the first string that is no text, keys included', () => {
    expect(firstNonText({ name: 'ok', lines: [{ note: 'fine' }, { note: 'a\u0000' }] }, undefined)).toBe('lines.1.note');
    expect(firstNonText({ ['bad\ud800']: 1 }, undefined)).toBe('bad\ud800');
    expect(firstNonText('\u0000', undefined)).toBe('');
    expect(firstNonText({ name: 'ok', n: 1, nothing: null }, undefined)).toBeNull();
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let nested: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    expect(firstNonText(nested, undefined)).toBe(Array.from({ length: 100_000 }, () => '0').join('.'));
  });

  it('skips raw uploads', () => {
    expect(firstNonText(Buffer.from([0, 0xd8, 0]), undefined)).toBeNull();
  });
});
