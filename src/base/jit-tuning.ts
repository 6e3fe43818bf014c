import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags every process the `mapek` command runs the simulator in starts with (the command itself, its worker
 * threads, which share its flags, and the processes `mapek bench` forks for its timed cases).
 *
 * `--interrupt-budget` is how much bytecode a function executes before V8 asks TurboFan to optimise it
 * (67,584 bytes by default in Node 20's V8 11.3). A run of the simulator is a short, cold process that
 * touches a few hundred functions a few thousand times each; at the default most of them are optimised on the
 * compiler's background threads, then some again, and that compiling is a third of a run's CPU. Four times the
 * default lets only the really hot functions reach TurboFan (the rest run as Sparkplug baseline code): the
 * bundled 24 h scenario, whole command, 2.2 s -> 1.9 s of CPU with its loop and 0.9 s -> 0.8 s without, the
 * throughput world 0.99 s -> 0.86 s (`npm run bench`, docs/benchmarks.md). Flags change how fast code runs,
 * never what it computes.
 */
export const CLI_V8_FLAGS: readonly string[] = ['--interrupt-budget=270336'];

/** Applies {@link CLI_V8_FLAGS} to this process: first thing in the command, before the simulator loads. */
export const applyCliV8Flags = (): void => {
  for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);
};
