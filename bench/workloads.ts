/** The simulator-throughput world now lives in `src/bench` (the `mapek bench` command uses it too). */
export { throughputScenario } from '../src/bench/throughput-scenario.ts';
