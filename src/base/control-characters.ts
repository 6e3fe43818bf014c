/**
 * Characters that must never reach a terminal or a report raw: C0 controls (escape sequences, bell,
 * backspace, carriage return), DEL, C1 controls, and the bidirectional overrides that reorder what a
 * reader sees. Tab is kept; newlines too where the caller says so (multi-line JUnit details).
 */
const CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const LINE_BREAKS = /[\n\r]/g;

const escapeOne = (c: string): string => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`;

/**
 * Escapes control characters as `\u{1B}`, so a scenario name carrying an escape sequence or a bell prints
 * as visible text. With `keepNewlines` false (the default) line breaks are escaped too: one name, one line.
 */
export const escapeControlCharacters = (text: string, keepNewlines = false): string => {
  const escaped = text.replace(CONTROL, escapeOne);
  return keepNewlines ? escaped : escaped.replace(LINE_BREAKS, escapeOne);
};
