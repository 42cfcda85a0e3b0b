// Test-file order: the files that take longest start first, so that with a fork per core the run does not end on
// one long file started late while the other core idles (vitest's own order is by size on a clean clone).
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The longest files, longest first (from a timed run: build/vitest-report*.json); a stale list costs time only. */
const LONGEST = [
  "test/docs/commands.test.ts",
  "test/interp/lua-conformance.test.ts",
  "test/pipeline/parallel.test.ts",
  "test/cli/interpreters.test.ts",
  "test/interp/lua-suite.test.ts",
  "test/lang/lang.test.ts",
  "test/interp/lua.test.ts",
  "test/interp/lua-random.test.ts",
  "test/bench/compile.test.ts",
  "test/explorer/explorer.test.ts",
  "test/cli/cli.test.ts",
  "test/specializer/roundtrip.test.ts",
];

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(relative(f.project.config.root, f.moduleId).replaceAll("\\", "/"));
      return i < 0 ? LONGEST.length : i;
    };
    // Array.prototype.sort is stable: the other files keep vitest's order.
    return base.sort((a, b) => rank(a) - rank(b));
  }
}
