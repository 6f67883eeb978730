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
      // The floor, a little under what the suite reaches (statements 89.5%, branches 78.8%,
      // functions 91.6%, lines 90.1%). Code that runs only in worker threads or in spawned CLI and
      // server processes is not seen by v8 coverage in this process, so it counts as uncovered here.
      thresholds: { statements: 88, branches: 77, functions: 90, lines: 89 },
    },
  },
});
