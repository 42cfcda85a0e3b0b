// Vitest configuration: every test under test/, run in forked workers (Wasm and binaryen want real processes).
import { defineConfig } from "vitest/config";
import { LongestFirst } from "./test/sequencer.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // A fork per core: vitest's default in a run is one core fewer, which on a 2-core machine (CI) ran every file in
    // one fork, one after the other, while the second core idled.
    maxWorkers: "100%",
    sequence: { sequencer: LongestFirst },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ["test/global-setup.ts"],
    // The test files already run in parallel (a fork per core): builds stay on one thread unless a test asks for
    // more (test/pipeline/parallel.test.ts, test/package), instead of each starting worker threads (pipeline/parallel.ts).
    env: { FUTAMURA_THREADS: "1" },
    // .ci/run runs plain `npm test` (the README's command) and reads the counts from a JSON report written here.
    ...(process.env.FUTAMURA_TEST_REPORT
      ? { reporters: ["default", "json"], outputFile: { json: process.env.FUTAMURA_TEST_REPORT } }
      : {}),
  },
});
