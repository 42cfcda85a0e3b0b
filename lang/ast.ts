// Fern's syntax tree. Every node carries its source position for error messages and the line table.
export interface Pos {
  line: number;
  col: number;
}

export type Expr =
  | ({ kind: "int"; value: bigint } & Pos)
  | ({ kind: "float"; value: number } & Pos)
  | ({ kind: "bool"; value: boolean } & Pos)
  | ({ kind: "nil" } & Pos)
  /** A string literal's bytes, one char per byte. */
  | ({ kind: "string"; value: string } & Pos)
  | ({ kind: "name"; name: string } & Pos)
  | ({ kind: "call"; callee: Expr; args: Expr[] } & Pos)
  | ({ kind: "index"; array: Expr; index: Expr } & Pos)
  | ({ kind: "unary"; op: "-" | "!"; operand: Expr } & Pos)
  | ({ kind: "binary"; op: string; left: Expr; right: Expr } & Pos)
  | ({ kind: "array"; items: Expr[] } & Pos)
  | ({ kind: "map"; entries: [Expr, Expr][] } & Pos)
  | ({ kind: "fn"; fn: FnDecl } & Pos);

export type Stmt =
  | ({ kind: "let"; name: string; init: Expr } & Pos)
  | ({ kind: "assign"; name: string; value: Expr } & Pos)
  | ({ kind: "store"; array: Expr; index: Expr; value: Expr } & Pos)
  /** `a[i] op= value`: the array and index are evaluated once. */
  | ({ kind: "update"; array: Expr; index: Expr; op: string; value: Expr } & Pos)
  | ({ kind: "if"; cond: Expr; then: Stmt[]; else?: Stmt[] } & Pos)
  | ({ kind: "while"; cond: Expr; body: Stmt[] } & Pos)
  | ({ kind: "for"; init?: Stmt; cond?: Expr; update?: Stmt; body: Stmt[] } & Pos)
  | ({ kind: "break" } & Pos)
  | ({ kind: "continue" } & Pos)
  | ({ kind: "return"; value?: Expr } & Pos)
  /** A named function declared inside a function or block: a local variable holding a closure. */
  | ({ kind: "fn"; fn: FnDecl } & Pos)
  | ({ kind: "expr"; expr: Expr } & Pos);

export interface FnDecl extends Pos {
  /** Empty for an anonymous `fn(…) {…}` expression. */
  name: string;
  params: string[];
  body: Stmt[];
}

export interface ProgramAst {
  functions: FnDecl[];
  main: Stmt[];
}
