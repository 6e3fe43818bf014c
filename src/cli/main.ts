import { performance } from 'node:perf_hooks';
import { applyCliV8Flags } from '../base/jit-tuning.ts';
import { runCli } from './cli.ts';

// Before the simulator loads (each command imports its action when it runs): see CLI_V8_FLAGS.
applyCliV8Flags();

// `mapek ... | head` closes stdout early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
  env: process.env,
  now: () => performance.now(),
  onStopSignal: (listener) => {
    let seen = 0;
    const handle = (signal: 'SIGINT' | 'SIGTERM') => {
      // A second Ctrl-C does not wait for the clean stop: the user means it.
      if (++seen > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
      listener(signal);
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
    return () => {
      process.off('SIGINT', handle);
      process.off('SIGTERM', handle);
    };
  },
});
