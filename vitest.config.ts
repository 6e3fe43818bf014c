import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Test files share their worker's module cache instead of re-importing src/ (zod schemas, XState, the
    // scenario loader) each: measured, half the suite's CPU time. No test here relies on fresh module state;
    // one that must (a `vi.mock` of a module) needs a separate vitest project with `isolate: true`.
    isolate: false,
    // End-to-end tests spawn the real CLI; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
