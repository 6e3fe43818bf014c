import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** File extensions a directory argument expands to. */
export const SCENARIO_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** A command-line path that names nothing to run. */
export interface InputError {
  readonly kind: 'missing-input' | 'empty-directory';
  readonly path: string;
  readonly message: string;
}

/** The scenario files the arguments name, and the arguments that name none. */
export interface ExpandedInputs {
  readonly files: readonly string[];
  readonly errors: readonly InputError[];
}

/**
 * Expands command-line paths: a file stands for itself; a directory for its `*.yaml`, `*.yml` and `*.json`
 * files (not recursive), sorted by name so every machine runs them in the same order.
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
    const found = readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isFile() && SCENARIO_EXTENSIONS.includes(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0) {
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
