// Which of a function's variables can never hold a string: the compiler's one piece of type inference, used to
// decide whether a loop's back-edge must be a garbage-collection safe point (LOOP) or can be a plain JUMP.
// A loop needs a safe point only when its body can make new objects (garbage): array, map and function literals,
// boxes, and the string-making operations — `a + b` when both may be strings, str(), substr(), keys(), type().
// (Growing an array or map frees the old storage at once; a call's callee has its own safe point at entry;
// one-byte strings from s[i] and chr() are made once by init.) A safe point costs a check per iteration, which
// is measurable on tight numeric loops (sum-to-100M: 1.6x, 2026-12-01), hence this analysis.
// By name, conservatively: a name is string-free when every `let` and assignment to it in the function (nested
// functions excluded) is string-free; parameters and names from elsewhere are not.
import type { Expr, Stmt } from "./ast.ts";

const STRING_FREE_BUILTINS = new Set([
  "len",
  "int",
  "float",
  "sqrt",
  "abs",
  "floor",
  "has",
  "ord",
  "push",
  "print",
  "array",
  "keys",
]);
/** Built-ins that make a new object on every call. */
export const ALLOCATING_BUILTINS = new Set(["array", "str", "substr", "keys", "type"]);

export function stringFreeExpr(e: Expr, free: { has(name: string): boolean }): boolean {
  switch (e.kind) {
    case "int":
    case "float":
    case "bool":
    case "nil":
    case "array":
    case "map":
    case "fn":
    case "unary":
      return true;
    case "string":
    case "index":
      return false;
    case "name":
      return free.has(e.name);
    case "binary":
      if (e.op === "+") return stringFreeExpr(e.left, free) || stringFreeExpr(e.right, free);
      if (e.op === "&&" || e.op === "||") return stringFreeExpr(e.left, free) && stringFreeExpr(e.right, free);
      return true;
    case "call":
      return e.callee.kind === "name" && STRING_FREE_BUILTINS.has(e.callee.name);
  }
}

/** The names assigned only string-free values in `body` (parameters excluded). */
export function stringFreeNames(params: readonly string[], body: readonly Stmt[]): Set<string> {
  const assigned = new Map<string, Expr[]>();
  const note = (name: string, value: Expr) => {
    if (!assigned.has(name)) assigned.set(name, []);
    assigned.get(name)!.push(value);
  };
  const walk = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === "let") note(s.name, s.init);
      else if (s.kind === "assign") note(s.name, s.value);
      else if (s.kind === "fn") note(s.fn.name, { kind: "nil", line: s.line, col: s.col });
      else if (s.kind === "if") {
        walk(s.then);
        if (s.else) walk(s.else);
      } else if (s.kind === "while") walk(s.body);
      else if (s.kind === "for") walk([...(s.init ? [s.init] : []), ...(s.update ? [s.update] : []), ...s.body]);
    }
  };
  walk(body);
  const free = new Set([...assigned.keys()].filter((n) => !params.includes(n)));
  for (let changed = true; changed;) {
    changed = false;
    for (const n of [...free]) {
      if (!assigned.get(n)!.every((v) => stringFreeExpr(v, free))) {
        free.delete(n);
        changed = true;
      }
    }
  }
  return free;
}
