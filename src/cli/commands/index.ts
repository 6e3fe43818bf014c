import type { CommandModule } from '../command-module.ts';
import { benchCommand } from './bench.ts';
import { exploreCommand } from './explore.ts';
import { mergeCommand } from './merge.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';
import { schemaCommand } from './schema.ts';
import { validateCommand } from './validate.ts';

/** Every `mapek` subcommand, in the order `--help` lists them. Add a command here and nowhere else. */
export const COMMANDS: readonly CommandModule[] = [
  runCommand,
  exploreCommand,
  validateCommand,
  schemaCommand,
  replayCommand,
  benchCommand,
  reportCommand,
  mergeCommand,
];
