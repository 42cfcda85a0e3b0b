// What each of weval's intrinsics (import module "weval") does in code that is not specialized, for the host's
// imports of an unspecialized interpreter (interp/host.ts) and the WASI command bench (bench/wasi-command.ts):
// the `stub` column of the ABI table (abi/weval.ts), which the specializer's output stubs and
// interp/c/weval-stubs.wat (the file the real wizer preloads; a test checks it) follow too.
import { stubBehaviour, WEVAL_INTRINSICS, type StubBehaviour } from "../abi/weval.ts";

export { stubBehaviour, type StubBehaviour };

export const WEVAL_STUBS: Readonly<Record<string, StubBehaviour>> = Object.fromEntries(
  Object.entries(WEVAL_INTRINSICS).map(([name, spec]) => [name, spec.stub]),
);
