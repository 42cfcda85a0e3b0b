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
  | ({ kind: "name"; name: string } & Pos)
  | ({ kind: "call"; callee: string; args: Expr[] } & Pos)
  | ({ kind: "index"; array: Expr; index: Expr } & Pos)
  | ({ kind: "unary"; op: "-" | "!"; operand: Expr } & Pos)
  | ({ kind: "binary"; op: string; left: Expr; right: Expr } & Pos);

export type Stmt =
  | ({ kind: "let"; name: string; init: Expr } & Pos)
  | ({ kind: "assign"; name: string; value: Expr } & Pos)
  | ({ kind: "store"; array: Expr; index: Expr; value: Expr } & Pos)
  | ({ kind: "if"; cond: Expr; then: Stmt[]; else?: Stmt[] } & Pos)
  | ({ kind: "while"; cond: Expr; body: Stmt[] } & Pos)
  | ({ kind: "return"; value?: Expr } & Pos)
  | ({ kind: "expr"; expr: Expr } & Pos);

export interface FnDecl extends Pos {
  name: string;
  params: string[];
  body: Stmt[];
}

export interface ProgramAst {
  functions: FnDecl[];
  main: Stmt[];
}
