import type { ControllerModuleRef } from '../controllers/controller-module.ts';
import { adaptiveExecutor } from '../sweep/adaptive-executor.ts';
import type { SweepExecutor } from '../sweep/executor.ts';
import { POOL_START_MS, WorkerPool } from '../sweep/worker-pool.ts';
import { poolCanHelp } from './worker-flags.ts';

/**
 * The worker pool of one command, opened when the first sweep that can use it starts (never for a single
 * run, or with `--workers 1`) and closed when the command ends.
 */
export class LazyPool {
  private pool: WorkerPool | null = null;

  /**
   * @param workers the most workers to use
   * @param env `MAPEK_POOL_AFTER_MS` (wall ms of work left that makes the pool worth starting; 0 starts it at
   *   once) overrides the default of twice what starting it costs
   */
  constructor(
    readonly workers: number,
    private readonly env: Readonly<Record<string, string | undefined>> = {},
  ) {}

  /** The pool, opened on first use. */
  open(): WorkerPool {
    this.pool ??= WorkerPool.open(this.workers);
    return this.pool;
  }

  /** When the rest of a sweep is worth handing to the pool (see `adaptiveExecutor`). */
  get handOffMs(): number {
    const given = Number(this.env.MAPEK_POOL_AFTER_MS);
    return this.env.MAPEK_POOL_AFTER_MS !== undefined && Number.isFinite(given) ? given : 2 * POOL_START_MS;
  }

  /**
   * What runs a sweep of `jobs` independent jobs: null (in this process, one at a time) for a single job or
   * one worker, else in this process until the work left pays for the pool, then on it.
   */
  executor(jobs: number, modules: readonly ControllerModuleRef[], now: () => number): SweepExecutor | null {
    if (!poolCanHelp(this.workers, jobs)) return null;
    return adaptiveExecutor({
      jobs,
      workers: this.workers,
      openPool: () => this.open(),
      handOffMs: this.handOffMs,
      now,
      modules,
    });
  }

  /** Ends the workers (waiting for none: every task given has finished when a command closes). */
  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }

  /** Ends the workers mid-task (Ctrl-C). */
  async abort(): Promise<void> {
    await this.pool?.abort();
    this.pool = null;
  }
}
