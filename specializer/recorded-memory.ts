// What a request's specialization asked of the other requests (weval/linked-requests.ts's KnownMemory) and the
// answers, so a result made elsewhere — on a worker thread, or in an earlier build (the per-request cache of
// pipeline/) — is taken only where the same questions get the same answers here. Specialization is deterministic
// given the generic function, the request's arguments, the limits and these answers, so a replay that matches makes
// the result the one this build would have made; replaying onto this build's RequestView also records the slots it
// folded (for the stale check) and scans the module's stores exactly as specializing here would have.
import type { Const, ValType } from "./ssa/types.ts";
import type { KnownMemory } from "./weval/linked-requests.ts";

export type MemoryQuery =
  | { q: "load" | "image"; addr: number; bytes: number; signed: boolean; type: ValType; answer?: Const }
  | { q: "callee"; table: number; tableIndex: number; typeIndex: number; answer?: number };

/** A KnownMemory that asks `inner` and records each question with its answer (in order). */
export class RecordingMemory implements KnownMemory {
  readonly queries: MemoryQuery[] = [];

  constructor(private readonly inner: KnownMemory) {}

  load(addr: number, bytes: number, signed: boolean, type: ValType): Const | undefined {
    const answer = this.inner.load(addr, bytes, signed, type);
    this.queries.push({ q: "load", addr, bytes, signed, type, answer });
    return answer;
  }

  directCallee(table: number, tableIndex: number, typeIndex: number): number | undefined {
    const answer = this.inner.directCallee(table, tableIndex, typeIndex);
    this.queries.push({ q: "callee", table, tableIndex, typeIndex, answer });
    return answer;
  }

  image(addr: number, bytes: number, signed: boolean, type: ValType): Const | undefined {
    const answer = this.inner.image(addr, bytes, signed, type);
    this.queries.push({ q: "image", addr, bytes, signed, type, answer });
    return answer;
  }
}

/** Asks `memory` every recorded question; whether every answer is the recorded one. */
export function replayQueries(memory: KnownMemory, queries: readonly MemoryQuery[]): boolean {
  for (const x of queries) {
    if (x.q === "callee") {
      if (memory.directCallee(x.table, x.tableIndex, x.typeIndex) !== x.answer) return false;
    } else {
      const got =
        x.q === "load"
          ? memory.load(x.addr, x.bytes, x.signed, x.type)
          : memory.image(x.addr, x.bytes, x.signed, x.type);
      if (!sameConst(got, x.answer)) return false;
    }
  }
  return true;
}

function sameConst(a: Const | undefined, b: Const | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.type === b.type && a.bits === b.bits;
}
