#!/usr/bin/env node
// futamura's command-line entry: registers tsx so Node 20 can load the TypeScript sources, then runs cli/main.ts.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
