/** The first place a text stops being JSON, and why. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Finds the first JSON syntax error in `text`, or null for valid JSON. The YAML parser that reads scenario
 * files with positions also accepts things JSON does not (`{"a": }` is a null there), and `JSON.parse`
 * names no position for most errors; this names the offset of each. Iterative: nesting depth costs no stack.
 */
export const firstJsonSyntaxError = (text: string): JsonSyntaxError | null => {
  let i = 0;
  const stack: ('object' | 'array')[] = [];
  let mode: 'value' | 'first-value' | 'key' | 'first-key' | 'after' = 'value';
  const fail = (message: string): JsonSyntaxError => ({
    offset: i,
    message: i >= text.length ? `unexpected end of file: ${message}` : message,
  });
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const readString = (): JsonSyntaxError | null => {
    i++;
    for (;;) {
      if (i >= text.length) return fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('a control character inside a string must be escaped');
      if (c === 0x5c) {
        const e = text.charAt(i + 1);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('\\u needs four hex digits');
          i += 6;
        } else if (ESCAPES.has(e)) {
          i += 2;
        } else {
          return fail(`invalid escape \\${e}`);
        }
        continue;
      }
      i++;
    }
  };
  for (;;) {
    skipSpace();
    const c = text.charAt(i);
    if (mode === 'first-value' && c === ']') {
      stack.pop();
      i++;
      mode = 'after';
      continue;
    }
    if (mode === 'first-key' && c === '}') {
      stack.pop();
      i++;
      mode = 'after';
      continue;
    }
    if (mode === 'value' || mode === 'first-value') {
      if (c === '{') {
        stack.push('object');
        i++;
        mode = 'first-key';
      } else if (c === '[') {
        stack.push('array');
        i++;
        mode = 'first-value';
      } else if (c === '"') {
        const e = readString();
        if (e !== null) return e;
        mode = 'after';
      } else {
        NUMBER.lastIndex = i;
        const literal = LITERALS.find((l) => text.startsWith(l, i));
        if (literal !== undefined) i += literal.length;
        else if (NUMBER.test(text)) i = NUMBER.lastIndex;
        else return fail('expected a value (a string, number, object, array, true, false or null)');
        mode = 'after';
      }
      continue;
    }
    if (mode === 'key' || mode === 'first-key') {
      if (c !== '"') return fail('expected a key in double quotes');
      const e = readString();
      if (e !== null) return e;
      skipSpace();
      if (text.charAt(i) !== ':') return fail("expected ':' after the key");
      i++;
      mode = 'value';
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined)
      return i < text.length ? fail('unexpected text after the end of the JSON value') : null;
    const close = top === 'object' ? '}' : ']';
    if (c === ',') {
      i++;
      mode = top === 'object' ? 'key' : 'value';
    } else if (c === close) {
      stack.pop();
      i++;
    } else {
      return fail(`expected ',' or '${close}'`);
    }
  }
};
