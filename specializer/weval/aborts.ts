// The designed fallback of the weval transform: a request the specializer gives up on is aborted, its slot stays
// 0 and the interpreter runs it. Each abort has a `kind` (tests and tools assert kinds, not message text) and a
// one-line reason for people. A failure that is not one of these is a bug in futamura (util/errors.ts,
// InternalError).

/** Why a request was aborted. */
export type AbortKind =
  /** A limit on the specialization's size (Limits): contexts, block copies, IR values. */
  | "max-contexts"
  | "max-blocks"
  | "max-values"
  /** A push/update.context whose pc is neither a constant nor a pointer into a constant buffer. */
  | "runtime-pc"
  /** An intrinsic argument that must be constant (a register index, a stack or local index, a bound) is not. */
  | "not-constant"
  /** A weval intrinsic this specializer does not implement, or an import of module "weval" it does not know. */
  | "unsupported-intrinsic"
  /** The interpreter called weval.abort.specialization (fatal). */
  | "interpreter-abort"
  /** weval.assert.const.memory on a pointer not into constant memory. */
  | "not-const-memory"
  /** The request does not fit the function: argument count or types, specialization globals, register indices. */
  | "bad-request";

export class SpecializationAborted extends Error {
  constructor(
    readonly kind: AbortKind,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "SpecializationAborted";
  }
}
