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

declare const TERMINAL_LINE: unique symbol;

/**
 * A line fit to reach a terminal as it is: the data in it was escaped, so every control character left is one
 * its writer meant (a report's colours). Only `terminalLine` makes one, which is what lets a printer trust it.
 */
export type TerminalLine = string & { readonly [TERMINAL_LINE]: true };

/**
 * `text` with its control characters escaped (line breaks too: one line), then `style` applied to the escaped
 * text: the raw control characters of the result are the ones `style` adds, such as SGR colour codes.
 */
export const terminalLine = (text: string, style: (escaped: string) => string = (s) => s): TerminalLine =>
  style(escapeControlCharacters(text)) as TerminalLine;
