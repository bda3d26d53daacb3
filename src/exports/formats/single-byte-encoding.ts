// Encoders for the 8-bit code pages that accounting formats still demand (SIE: CP437,
// DATEV: Windows-1252). Bytes 0x00-0x7F are ASCII in both; a table gives the characters of
// 0x80-0xFF. A character the code page lacks is written as its plain look-alike (typographic
// quotes and dashes, "€" as "EUR"), else without its accents where that helps ("ő" -> "o"),
// else as "?": the file stays readable and the importer never meets a byte it would misread.
// The look-alikes are never a quote mark, so no writer's quoting can be broken by them.

export type SingleByteEncoder = (text: string) => Buffer;

const replacementByte = 0x3f; // "?"
const combiningMarks = /\p{M}/gu;

const lookAlikes: ReadonlyMap<string, string> = new Map([
  ['‘', "'"], ['’', "'"], ['‚', "'"], ['‛', "'"], ['“', "'"], ['”', "'"], ['„', "'"], ['‟', "'"], ['«', "'"], ['»', "'"],
  ['‐', '-'], ['‑', '-'], ['‒', '-'], ['–', '-'], ['—', '-'], ['−', '-'],
  ['…', '...'], ['€', 'EUR'], ['\u2009', ' '], ['\u202F', ' '],
]);

/** upperHalf: the 128 characters of bytes 0x80-0xFF, "\uFFFD" where the byte is unused. */
export function singleByteEncoder(upperHalf: string): SingleByteEncoder {
  const characters = [...upperHalf];
  if (characters.length !== 128) throw new Error(`a code page's upper half has 128 characters, got ${characters.length}`);
  const bytes = new Map<string, number>();
  characters.forEach((character, index) => {
    if (character !== '\uFFFD') bytes.set(character, 0x80 + index);
  });
  const byteOf = (character: string): number | undefined => {
    const code = character.codePointAt(0)!;
    return code < 0x80 ? code : bytes.get(character);
  };
  const bytesOf = (character: string): number[] => {
    const direct = byteOf(character);
    if (direct !== undefined) return [direct];
    const lookAlike = lookAlikes.get(character);
    if (lookAlike !== undefined) return [...lookAlike].map((plain) => byteOf(plain)!);
    const bare = [...character.normalize('NFD').replace(combiningMarks, '')].map(byteOf);
    return bare.length > 0 && bare.every((byte) => byte !== undefined) ? (bare as number[]) : [replacementByte];
  };
  return (text) => Buffer.from([...text].flatMap(bytesOf));
}
