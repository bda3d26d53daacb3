// Windows-1252, the "ANSI" character set of DATEV-Format files. 0xA0-0xFF are Latin-1
// (ä 0xE4, ö 0xF6, ü 0xFC, ß 0xDF); 0x80-0x9F hold the euro sign and typographic marks,
// five of them unused.
import { singleByteEncoder } from './single-byte-encoding.js';

const unused = '\uFFFD';

const controlRange = `€${unused}‚ƒ„…†‡ˆ‰Š‹Œ${unused}Ž${unused}${unused}‘’“”•–—˜™š›œ${unused}žŸ`;

const latin1Range = Array.from({ length: 0x60 }, (_, index) => String.fromCharCode(0xa0 + index)).join('');

export const encodeWindows1252 = singleByteEncoder(controlRange + latin1Range);
