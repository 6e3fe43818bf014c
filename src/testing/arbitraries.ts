/**
 * fast-check arbitraries for resilience properties: clusters, workloads, whole scenarios, and fault schedules
 * within a fault budget, built to shrink towards fewer, earlier, shorter, smaller and milder faults.
 */
export { faultEntry, faultSchedule } from './fault-arbitraries.ts';
export {
  type ClusterInput,
  cluster,
  defaultBudget,
  type ScenarioOptions,
  type ServiceInput,
  scenario,
  scenarioWithFaults,
  type WorkloadInput,
  workload,
} from './scenario-arbitraries.ts';
