// Whether a compile benchmark program ran to its end (bench/compile-child.ts checks each build by running it): its own
// file, without the report's imports (Vega), since the child measures its own peak memory.

/** How a generated program failed when run interpreted or wevaled (an error, a non-zero exit code), or undefined: a
 *  program that fails alike on both sides printed "the same", but the benchmark's programs must run to the end. */
export function runFailure(
  interpreted: { error?: string; exitCode?: number },
  wevaled: { error?: string; exitCode?: number },
): string | undefined {
  const failure = (o: { error?: string; exitCode?: number }) =>
    o.error !== undefined
      ? `error ${JSON.stringify(o.error.split("\n")[0])}`
      : o.exitCode
        ? `exit code ${o.exitCode}`
        : undefined;
  const [a, b] = [failure(interpreted), failure(wevaled)];
  if (!a && !b) return undefined;
  return a === b
    ? `the program failed when run, interpreted and wevaled alike: ${a}`
    : `interpreted: ${a ?? "ran"}, wevaled: ${b ?? "ran"}`;
}
