// Progress lines for the long fuzzers: one line at least every 10 s (and at the end), with the count, the rate and
// an estimate of the time left, so a long run is never silent. Also their shared `--help` and option parsing.

/** Returns tick(done, detail?): prints `label: done/total, N s, ETA M s  detail` when 10 s passed since the last line. */
export function progress(label: string, total: number, everyMs = 10_000): (done: number, detail?: string) => void {
  const started = performance.now();
  let last = started;
  return (done, detail = "") => {
    const now = performance.now();
    if (now - last < everyMs && done < total) return;
    last = now;
    const s = (now - started) / 1000;
    const eta = done > 0 && done < total ? `, about ${Math.ceil(((total - done) * s) / done)} s left` : "";
    console.log(`  ${label}: ${done}/${total}, ${s.toFixed(0)} s${eta}${detail ? `  ${detail}` : ""}`);
  };
}

/** The fuzzers' options: `--name value` pairs and flags; --help prints `usage` and exits 0; an unknown option exits 1. */
export function fuzzOptions(script: string, usage: string, known: { values: string[]; flags: string[] }) {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(usage.trim());
    process.exit(0);
  }
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, "");
    if (known.flags.includes(name)) flags.add(name);
    else if (known.values.includes(name) && argv[i + 1] !== undefined) values.set(name, argv[++i]);
    else {
      console.error(`${script}: unknown option or missing value: '${argv[i]}' (run with --help)`);
      process.exit(1);
    }
  }
  const count = (name: string, fallback: number): number => {
    const v = values.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) {
      console.error(`${script}: --${name} takes a whole number, got '${v}'`);
      process.exit(1);
    }
    return n;
  };
  return { value: (name: string) => values.get(name), flag: (name: string) => flags.has(name), count };
}
