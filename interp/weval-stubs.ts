// What each of weval's intrinsics (import module "weval") does in code that is not specialized — the one table
// behind every place that needs it: the host's imports for an unspecialized interpreter (interp/host.ts), the stubs
// the specializer writes into its output in place of the imports (specializer/index.ts via
// specializer/weval/intrinsics.ts), the WASI command bench (bench/wasi-command.ts), and interp/c/weval-stubs.wat,
// the file the real wizer preloads (a test checks it against this table). As weval's lib/weval-stubs.wat: context
// and diagnostic calls and state writes do nothing, specialize.value and the assume.* calls return their first
// argument, and state reads trap, since only a specialized body can have written what they read. Relies on nothing
// (the browser explorer imports it through interp/host.ts).

export type StubBehaviour = "nothing" | "identity" | "trap";

export const WEVAL_STUBS: Readonly<Record<string, StubBehaviour>> = {
  "push.context": "nothing",
  "update.context": "nothing",
  "pop.context": "nothing",
  "specialize.value": "identity",
  "read.reg": "trap",
  "write.reg": "nothing",
  "read.specialization.global": "trap",
  "push.stack": "nothing",
  "pop.stack": "trap",
  "read.stack": "trap",
  "write.stack": "nothing",
  "sync.stack": "nothing",
  "read.local": "trap",
  "write.local": "nothing",
  "assert.const32": "nothing",
  "assert.const.memory": "nothing",
  "assume.const.memory": "identity",
  "assume.const.memory.transitive": "identity",
  "abort.specialization": "nothing",
  "trace.line": "nothing",
  print: "nothing",
  "context.bucket": "nothing",
  "exit.path": "nothing",
  "stop.exit.path": "nothing",
};

/** How an intrinsic behaves outside specialization; one weval added later than this table traps. */
export function stubBehaviour(name: string): StubBehaviour {
  return Object.hasOwn(WEVAL_STUBS, name) ? WEVAL_STUBS[name] : "trap";
}
