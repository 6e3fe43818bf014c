import { InvalidArgumentError } from 'commander';
import {
  isBuiltinPolicy,
  isModulePolicy,
  POLICY_NAMES,
  type PolicyName,
} from '../controllers/controller-spec.ts';

/** Reads `--policy X`: a built-in name or the path of a `.js`/`.mjs` controller module. */
export const parsePolicy = (text: string): PolicyName => {
  if (isBuiltinPolicy(text) || isModulePolicy(text)) return text;
  throw new InvalidArgumentError(
    `expected one of ${POLICY_NAMES.join(', ')} or a controller module path ending in .js or .mjs; got "${text}"`,
  );
};

/** Reads the variadic `--policies`, one word at a time (commander's collector form). */
export const collectPolicy = (text: string, previous: PolicyName[] | undefined): PolicyName[] => [
  ...(previous ?? []),
  parsePolicy(text),
];
