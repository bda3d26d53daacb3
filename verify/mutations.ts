// Mutations of real files for the fuzzers: a seed file from the shared fixtures, changed by a
// few edits a damaged transfer, a careless bank export or an attacker would make (bytes
// flipped, cut, repeated, spliced from another file, format tokens dropped in).
import fc from 'fast-check';

type Edit =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; from: number; fromAt: number; length: number }
  | { kind: 'token'; at: number; token: string };

/** Where in the file, as a fraction, so an edit fits any seed's length. */
const place = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

function editOf(seedCount: number, tokens: readonly string[]): fc.Arbitrary<Edit> {
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: place, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: place, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: place, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('repeat' as const), at: place, length: fc.integer({ min: 1, max: 80 }), times: fc.integer({ min: 2, max: 30 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: place }),
    fc.record({ kind: fc.constant('splice' as const), at: place, from: fc.nat({ max: seedCount - 1 }), fromAt: place, length: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ kind: fc.constant('token' as const), at: place, token: fc.constantFrom(...tokens) }),
  );
}

function apply(bytes: Buffer, edit: Edit, seeds: readonly Buffer[]): Buffer {
  const at = Math.floor(edit.at * (bytes.length + 1));
  switch (edit.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      copy[Math.min(at, copy.length - 1)] = edit.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), edit.bytes, bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + edit.length)]);
    case 'repeat': {
      const part = bytes.subarray(at, at + edit.length);
      return Buffer.concat([bytes.subarray(0, at), ...Array.from({ length: edit.times }, () => part), bytes.subarray(at)]);
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'splice': {
      const other = seeds[edit.from]!;
      const start = Math.floor(edit.fromAt * other.length);
      return Buffer.concat([bytes.subarray(0, at), other.subarray(start, start + edit.length), bytes.subarray(at)]);
    }
    case 'token':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.token, 'latin1'), bytes.subarray(at)]);
  }
}

/** A seed file with one to eight edits; now and then the seed itself, unchanged. */
export function mutationOf(seeds: readonly Buffer[], tokens: readonly string[]): fc.Arbitrary<Buffer> {
  if (seeds.length === 0) throw new Error('mutations need at least one seed file');
  return fc
    .record({ seed: fc.nat({ max: seeds.length - 1 }), edits: fc.array(editOf(seeds.length, tokens), { minLength: 0, maxLength: 8 }) })
    .map(({ seed, edits }) => edits.reduce((bytes, edit) => apply(bytes, edit, seeds), seeds[seed]!));
}
