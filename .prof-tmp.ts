import { readFileSync } from "node:fs";
import { runOnce } from "/work/wt-luacall2/bench/lua.ts";
const m = new WebAssembly.Module(readFileSync(process.argv[2]));
for (let i = 0; i < 25; i++) await runOnce(m);
