import type { CommandModule } from '../command-module.ts';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { schemaCommand } from './schema.ts';
import { validateCommand } from './validate.ts';

/** Every `mapek` subcommand, in the order `--help` lists them. Add a command here and nowhere else. */
export const COMMANDS: readonly CommandModule[] = [runCommand, validateCommand, schemaCommand, replayCommand];
