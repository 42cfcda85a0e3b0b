// Errors in three kinds. A UserError is the one the CLI shows to users as-is: a message that already says where
// (file:line:col for source, a byte offset for binaries, function and opcode for Wasm). An abort is a designed
// fallback with a `kind` (the specializer's SpecializationAborted, specializer/weval/aborts.ts): the request runs
// interpreted and the reason is reported. An InternalError — or any other exception — is a bug in futamura and is
// shown with its stack.

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** A source position, 1-based, as editors count. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** An error in a source file: prints as `file:line:col: error: message`. */
export class SourceError extends UserError {
  constructor(
    readonly pos: SourcePos,
    readonly detail: string,
  ) {
    super(`${pos.file}:${pos.line}:${pos.col}: error: ${detail}`);
    this.name = "SourceError";
  }
}

/** An error in a binary file: prints as `file: byte N (0xN): error: message`. */
export class BinaryError extends UserError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${file}: byte ${offset} (0x${offset.toString(16)}): error: ${detail}`);
    this.name = "BinaryError";
  }
}

/** A broken invariant inside futamura: a bug, shown with its stack (never a user's mistake). */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalError";
  }
}
