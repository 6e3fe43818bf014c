import { readFileSync } from 'node:fs';

/** The version in the project's package.json, recorded in every journal. */
export const PACKAGE_VERSION: string = (() => {
  const raw: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const version = raw !== null && typeof raw === 'object' && 'version' in raw ? raw.version : undefined;
  return typeof version === 'string' ? version : '0.0.0';
})();
