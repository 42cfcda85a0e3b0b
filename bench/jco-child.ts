// Runs a jco-transpiled WASI command component in a fresh process: the first call of its `run` export (cold),
// then warm-up calls, then timed calls. The program's output goes to stdout through preview2-shim, as a user would
// see it; timings go to stderr as one JSON line {"cold_ms": …, "warm_ms": […]}.
// Usage: node dist/bench/jco-child.js <component.js> <warmups> <runs>.
import { pathToFileURL } from "node:url";

const [file, warmupsArg, runsArg] = process.argv.slice(2);
const component = (await import(pathToFileURL(file).href)) as { run: { run(): void } };
let t = performance.now();
component.run.run();
const cold = performance.now() - t;
for (let i = 0; i < Number(warmupsArg); i++) component.run.run();
const warm: number[] = [];
for (let i = 0; i < Number(runsArg); i++) {
  t = performance.now();
  component.run.run();
  warm.push(performance.now() - t);
}
process.stderr.write(JSON.stringify({ cold_ms: cold, warm_ms: warm }) + "\n");
