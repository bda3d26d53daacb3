// IBM code page 437, the IBM PC's 8-bit extended ASCII, which SIE filformat 4B names "PC8"
// in #FORMAT and requires for every SIE 1-4 file. Swedish letters sit at å 0x86, ä 0x84,
// ö 0x94, Å 0x8F, Ä 0x8E, Ö 0x99.
import { singleByteEncoder } from './single-byte-encoding.js';

export const cp437UpperHalf =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0';

export const encodeCp437 = singleByteEncoder(cp437UpperHalf);
