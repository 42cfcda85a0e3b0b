// `npm run docs:figures`: rewrite README.md's figure blocks from the committed results in docs/ (bench/figures.ts).
// Run it after regenerating docs/bench-*.json.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../util/root.ts";
import { withFigures } from "./figures.ts";

const path = join(ROOT, "README.md");
const before = readFileSync(path, "utf8");
const after = withFigures(before, ROOT);
if (after === before) console.log("README.md: figures already match docs/bench-*.json");
else {
  writeFileSync(path, after);
  console.log("README.md: figures rewritten from docs/bench-*.json");
}
