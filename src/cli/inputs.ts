import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** File extensions a directory argument expands to. */
export const SCENARIO_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** A command-line path that names nothing to run. */
export interface InputError {
  readonly kind: 'missing-input' | 'empty-directory' | 'broken-link';
  readonly path: string;
  readonly message: string;
}

const linksToFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The scenario files the arguments name, and the arguments that name none. */
export interface ExpandedInputs {
  readonly files: readonly string[];
  readonly errors: readonly InputError[];
}

/**
 * Expands command-line paths: a file stands for itself; a directory for its `*.yaml`, `*.yml` and `*.json`
 * files (not recursive; symbolic links to files followed, broken ones reported), sorted by name so every
 * machine runs them in the same order.
 */
export const expandInputs = (paths: readonly string[]): ExpandedInputs => {
  const files: string[] = [];
  const errors: InputError[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      errors.push({ kind: 'missing-input', path, message: `${path}: no such file or directory` });
      continue;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    // Symbolic links are followed; one that leads nowhere is reported, not silently skipped.
    const found: string[] = [];
    const entries = readdirSync(path, { withFileTypes: true })
      .filter((e) => SCENARIO_EXTENSIONS.includes(extname(e.name).toLowerCase()))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const file = join(path, e.name);
      if (e.isFile()) found.push(file);
      else if (e.isSymbolicLink()) {
        if (linksToFile(file)) found.push(file);
        else
          errors.push({
            kind: 'broken-link',
            path: file,
            message: `${file}: a symbolic link to no regular file; skipped`,
          });
      }
    }
    if (found.length === 0 && entries.length === 0) {
      errors.push({
        kind: 'empty-directory',
        path,
        message: `${path}: no scenario files (${SCENARIO_EXTENSIONS.join(', ')}) in this directory`,
      });
    }
    files.push(...found);
  }
  return { files, errors };
};
