import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary"],
      // The floor, a little under what the suite reaches (statements 83.1%, branches 72.2%,
      // functions 82.8%, lines 85.2%). Code that runs only in worker threads or in spawned CLI and
      // server processes — the what-if commands, sweeps and comparisons in the service's workers, the
      // child process of a bounded plan — is not seen by v8 coverage in this process, so it counts as
      // uncovered here although its tests run it.
      thresholds: { statements: 82, branches: 71, functions: 81, lines: 84 },
    },
  },
});
