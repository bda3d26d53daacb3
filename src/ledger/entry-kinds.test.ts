import { describe, expect, it } from 'vitest';
import { entryKindLabel } from './entry-kinds.js';

describe('entryKindLabel', () => {
  it('names the kinds a bookkeeper meets, and reads any other as words', () => {
    expect(entryKindLabel('expense_owed')).toBe('Owed to employees');
    expect(entryKindLabel('pending_posted')).toBe('Card purchase cleared');
    expect(entryKindLabel('some_new_kind')).toBe('Some new kind');
  });
});
