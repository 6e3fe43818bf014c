import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from './mapek-process.ts';

/**
 * The sharding recipes of docs/examples, checked as far as this machine can (no docker, no cluster, no
 * GitHub runner): they parse, carry the fields their engine needs, and split the sweep into as many shards
 * as they run, each shard once.
 */
const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Json = Record<string, unknown>;
const at = (v: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Json)[k] : undefined), v);

describe('docs/examples/github-actions.yml', () => {
  const workflow = parse(text('docs/examples/github-actions.yml')) as Json;

  it('runs one job per shard of the matrix, then merges every shard', () => {
    const shards = at(workflow, 'jobs', 'sweep', 'strategy', 'matrix', 'shard') as number[];
    const steps = at(workflow, 'jobs', 'sweep', 'steps') as Json[];
    const run = steps
      .map((s) => s.run)
      .find((r) => typeof r === 'string' && r.includes('mapek run')) as string;
    const merge = (at(workflow, 'jobs', 'merge', 'steps') as Json[])
      .map((s) => s.run)
      .find((r) => typeof r === 'string' && r.includes('mapek merge')) as string;

    expect(shards).toEqual([1, 2, 3, 4]);
    expect(run).toContain(`--shard \${{ matrix.shard }}/${shards.length}`);
    expect(at(workflow, 'jobs', 'merge', 'needs')).toBe('sweep');
    for (const i of shards) expect(merge).toContain(`shard-${i}.ndjson`);
    expect(at(workflow, 'jobs', 'sweep', 'strategy', 'fail-fast')).toBe(false);
  });
});

describe('docs/examples/github-actions-explore.yml', () => {
  const workflow = parse(text('docs/examples/github-actions-explore.yml')) as Json;
  const runs = (job: string) =>
    (at(workflow, 'jobs', job, 'steps') as Json[]).map((s) => s.run).filter((r) => typeof r === 'string');

  it('searches one shard a job with the seed given, then merges every shard into the counterexample', () => {
    const shards = at(workflow, 'jobs', 'search', 'strategy', 'matrix', 'shard') as number[];
    const search = runs('search').find((r) => r.includes('mapek explore')) as string;
    const merge = runs('merge').find((r) => r.includes('mapek merge')) as string;

    expect(shards).toEqual([1, 2, 3, 4]);
    expect(search).toMatch(/--seed \d+/);
    expect(search).toContain(`--shard \${{ matrix.shard }}/${shards.length}`);
    expect(at(workflow, 'jobs', 'merge', 'needs')).toBe('search');
    for (const i of shards) expect(merge).toContain(`shard-${i}.json`);
    expect(merge).toContain('--counterexample');
    expect(at(workflow, 'jobs', 'search', 'strategy', 'fail-fast')).toBe(false);
  });
});

describe('docs/examples/k8s-indexed-job.yaml', () => {
  const [sweep, merge] = parseAllDocuments(text('docs/examples/k8s-indexed-job.yaml')).map(
    (d) => d.toJSON() as Json,
  );

  it('is an Indexed Job with the fields a Job needs, and a merge Job of every shard', () => {
    expect(sweep).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'mapek-sweep' } });
    expect(at(sweep, 'spec', 'completionMode')).toBe('Indexed');
    expect(at(sweep, 'spec', 'completions')).toBe(4);
    expect(at(sweep, 'spec', 'parallelism')).toBe(4);
    expect(at(sweep, 'spec', 'template', 'spec', 'restartPolicy')).toBe('Never');
    expect(at(sweep, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('mapek:latest');
    expect(merge).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    const args = at(merge, 'spec', 'template', 'spec', 'containers', 0, 'args') as string[];
    expect(args.filter((a) => a.endsWith('.ndjson'))).toHaveLength(4);
  });

  it('gives pod JOB_COMPLETION_INDEX = i the shard i+1 of 4, resuming a shard it finds begun', () => {
    const script = at(sweep, 'spec', 'template', 'spec', 'containers', 0, 'args', 0) as string;
    // `mapek` stands in as a function that prints its arguments; /results is a scratch directory.
    const shardOf = (index: number) =>
      execFileSync(
        '/bin/sh',
        ['-c', `mapek() { echo "$@"; }\n${script.replaceAll('/results', '/nonexistent')}`],
        {
          env: { ...process.env, JOB_COMPLETION_INDEX: String(index) },
          encoding: 'utf8',
        },
      );

    expect([0, 1, 2, 3].map((i) => /--shard (\S+)/.exec(shardOf(i))?.[1])).toEqual([
      '1/4',
      '2/4',
      '3/4',
      '4/4',
    ]);
    expect(shardOf(0)).toContain('--results /nonexistent/shard-1.ndjson');
    expect(shardOf(0)).not.toContain('--resume');
  });
});

describe('Dockerfile', () => {
  const dockerfile = text('Dockerfile');

  it('builds the CLI on Node 20 from files that exist, and runs it as an unprivileged user', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      (m[1] ?? '').split(' '),
    );

    expect(dockerfile).toMatch(/^FROM node:20[\w.-]* AS build$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["mapek"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(copied.length).toBeGreaterThan(5);
    for (const path of copied) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });
});
