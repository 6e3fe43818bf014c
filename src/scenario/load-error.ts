/** A place in a scenario file, 1-based as editors count. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** One step of a field path: a key of a mapping or an index into a list. */
export type PathSegment = string | number;

/** One problem in a scenario file: where it is, which field, and what was expected. */
export interface LoadIssue {
  readonly file: string;
  /** Null when the problem is the file as a whole (unreadable, too large). */
  readonly position: SourcePosition | null;
  /** Field path in the file (`faults[2].groups[0][1]` when printed); empty for the file as a whole. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** The classes of bad scenario files, each refused with its own message. */
export type LoadErrorKind =
  | 'unreadable'
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'syntax'
  | 'multiple-documents'
  | 'alias-bomb'
  | 'too-complex'
  | 'unsupported-tag'
  | 'forbidden-key'
  | 'duplicate-key'
  | 'invalid';

interface LoadErrorOf<K extends LoadErrorKind> {
  readonly kind: K;
  readonly file: string;
  /** One line on what is wrong with the file as a whole. */
  readonly message: string;
  /** Every problem found, in file order; at least one. */
  readonly issues: readonly LoadIssue[];
}

/** Why a scenario file was refused: a typed value, never a thrown error. */
export type LoadError =
  | (LoadErrorOf<'unreadable'> & { readonly reason: string })
  | (LoadErrorOf<'too-large'> & { readonly bytes: number; readonly limitBytes: number })
  | LoadErrorOf<Exclude<LoadErrorKind, 'unreadable' | 'too-large'>>;

/** Builds a load error with a single issue at `position`. */
export const singleIssueError = (
  kind: Exclude<LoadErrorKind, 'unreadable' | 'too-large'>,
  file: string,
  message: string,
  position: SourcePosition | null,
  path: readonly PathSegment[] = [],
): LoadError => ({ kind, file, message, issues: [{ file, position, path, message }] });

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A field path as people read it: `faults[2].groups[0][1]`, `workload[0].service`. */
export const formatPath = (path: readonly PathSegment[]): string => {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
};

/** `file:line:col: field.path: message`, the shape editors and CI annotators understand. */
export const formatIssue = (issue: LoadIssue): string => {
  const where =
    issue.position === null ? issue.file : `${issue.file}:${issue.position.line}:${issue.position.column}`;
  const field = issue.path.length === 0 ? '' : `${formatPath(issue.path)}: `;
  return `${where}: ${field}${issue.message}`;
};
