// Line-based formats (SIE, DATEV, hledger) end a record at CR or LF, and their readers choke
// on other control characters; text from people (a receipt's merchant, a note) may hold
// them. Each becomes a space, so the words stay apart and nothing else changes.

const controlCharacters = /\p{Cc}/gu;

export function controlsToSpaces(text: string): string {
  return text.replace(controlCharacters, ' ');
}
