import { AtomicFile } from '../base/atomic-write.ts';
import type { CliContext } from './cli-context.ts';

/**
 * Opens every named output file (an undefined path is no file) before any work, so a bad path fails in a
 * second rather than after the runs. All or nothing: when one cannot be opened, the reason is printed, the
 * ones already opened are dropped (no temporary file left) and the answer is null.
 */
export const openOutputFiles = <K extends string>(
  ctx: CliContext,
  paths: Readonly<Record<K, string | undefined>>,
): { readonly [k in K]: AtomicFile | null } | null => {
  const opened: AtomicFile[] = [];
  const files: Partial<Record<K, AtomicFile | null>> = {};
  for (const key of Object.keys(paths) as K[]) {
    const path = paths[key];
    if (path === undefined) {
      files[key] = null;
      continue;
    }
    const f = AtomicFile.open(path);
    if (!f.ok) {
      ctx.warn(`mapek: ${f.error.message}`);
      for (const o of opened) o.abort();
      return null;
    }
    opened.push(f.value);
    files[key] = f.value;
  }
  return files as { readonly [k in K]: AtomicFile | null };
};
