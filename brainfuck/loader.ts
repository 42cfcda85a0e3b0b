// Brainfuck's loader (interp/manifests/bf.json): source text → the bytecode interp/as/bf.ts runs, with
//   - runs of + and - merged into one ADD n, runs of < and > into one MOVE n (a run that cancels out disappears);
//   - `[-]` and `[+]` as one CLEAR;
//   - each bracket holding the byte pc just past its partner (unmatched brackets, and brackets nested deeper than
//     MAX_BRACKET_NESTING, are file:line:col errors);
//   - the source position of every instruction, for runtime errors (futamura.error(1, pc): the tape pointer left
//     the tape) as `file:line:col: runtime error: …`;
//   - expectations and input from files beside the program: `prog.out` (the exact output bytes) and `prog.in`.
// Every other character is a comment.
import { existsSync, readFileSync } from "node:fs";
import type { ProgramHost } from "../interp/host.ts";
import type { LoadedProgram } from "../interp/loaded-program.ts";
import { InternalError, SourceError } from "../util/errors.ts";
import { sourceText } from "../util/text.ts";

/** The opcodes, as interp/as/bf.ts numbers them. */
export const BF_OPS = { halt: 0, add: 1, move: 2, out: 3, in: 4, jz: 5, jnz: 6, clear: 7 } as const;
export const INSN_SIZE = 8;
export const TAPE_SIZE = 65536;
/** How deep brackets may nest: as Fern's MAX_NESTING. The compiled loops nest as deep as the brackets, and binaryen's
 *  recursive passes exhaust the JavaScript stack somewhere past 400 (issue 25). */
export const MAX_BRACKET_NESTING = 256;
export const BF_ERRORS: Record<number, string> = {
  1: `the tape pointer moved off the tape (cells 0 to ${TAPE_SIZE - 1})`,
};

export interface BfInstruction {
  op: number;
  arg: number;
  line: number;
  col: number;
}

/** Parse and optimize: the instruction list, ending with HALT; brackets' args are instruction indices here. */
export function parseBrainfuck(source: string, file: string): BfInstruction[] {
  const out: BfInstruction[] = [];
  const open: number[] = [];
  let line = 1;
  let col = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    col++;
    if (c === "\n") {
      line++;
      col = 0;
      continue;
    }
    const last = out[out.length - 1];
    if (c === "+" || c === "-") {
      const d = c === "+" ? 1 : -1;
      if (last?.op === BF_OPS.add) last.arg += d;
      else out.push({ op: BF_OPS.add, arg: d, line, col });
      if (out[out.length - 1].arg === 0) out.pop();
    } else if (c === ">" || c === "<") {
      const d = c === ">" ? 1 : -1;
      if (last?.op === BF_OPS.move) last.arg += d;
      else out.push({ op: BF_OPS.move, arg: d, line, col });
      if (out[out.length - 1].arg === 0) out.pop();
    } else if (c === ".") out.push({ op: BF_OPS.out, arg: 0, line, col });
    else if (c === ",") out.push({ op: BF_OPS.in, arg: 0, line, col });
    else if (c === "[") {
      if (open.length === MAX_BRACKET_NESTING)
        throw new SourceError(
          { file, line, col },
          `brackets nested too deep (more than ${MAX_BRACKET_NESTING} levels; futamura's limit, as for Fern)`,
        );
      open.push(out.length);
      out.push({ op: BF_OPS.jz, arg: -1, line, col });
    } else if (c === "]") {
      const start = open.pop();
      if (start === undefined) throw new SourceError({ file, line, col }, "unmatched ']'");
      const body = out.length - start - 1;
      const only = out[start + 1];
      if (body === 1 && only.op === BF_OPS.add && (only.arg === 1 || only.arg === -1)) {
        // [-] or [+]: the cell becomes 0 (for [+] too, since cells wrap at 256).
        const bracket = out[start];
        out.length = start;
        out.push({ op: BF_OPS.clear, arg: 0, line: bracket.line, col: bracket.col });
        continue;
      }
      out[start].arg = out.length + 1;
      out.push({ op: BF_OPS.jnz, arg: start + 1, line, col });
    }
  }
  if (open.length) {
    const at = out[open[open.length - 1]];
    throw new SourceError({ file, line: at.line, col: at.col }, "unmatched '['");
  }
  out.push({ op: BF_OPS.halt, arg: 0, line, col });
  return out;
}

/** The bytecode: 8 bytes per instruction (u8 op, padding, i32 arg; bracket args become byte pcs). */
export function encodeBrainfuck(code: BfInstruction[]): Uint8Array {
  const bytes = new Uint8Array(code.length * INSN_SIZE);
  const view = new DataView(bytes.buffer);
  code.forEach((ins, i) => {
    bytes[i * INSN_SIZE] = ins.op;
    const isJump = ins.op === BF_OPS.jz || ins.op === BF_OPS.jnz;
    view.setInt32(i * INSN_SIZE + 4, isJump ? ins.arg * INSN_SIZE : ins.arg, true);
  });
  return bytes;
}

/** A reference evaluator in TypeScript, for tests: the same semantics as bf.ts (EOF leaves the cell unchanged). */
export function evaluateBrainfuck(
  code: BfInstruction[],
  input: Uint8Array = new Uint8Array(0),
  maxSteps = 1e9,
): { output: Uint8Array; error?: { code: number; index: number } } {
  const tape = new Uint8Array(TAPE_SIZE);
  const output: number[] = [];
  let ptr = 0;
  let inAt = 0;
  for (let pc = 0, steps = 0; steps < maxSteps; steps++) {
    const { op, arg } = code[pc];
    if (op === BF_OPS.halt) return { output: Uint8Array.from(output) };
    if (op === BF_OPS.add) tape[ptr] = (tape[ptr] + arg) & 255;
    else if (op === BF_OPS.move) {
      ptr += arg;
      if (ptr < 0 || ptr >= TAPE_SIZE) return { output: Uint8Array.from(output), error: { code: 1, index: pc } };
    } else if (op === BF_OPS.out) output.push(tape[ptr]);
    else if (op === BF_OPS.in) {
      if (inAt < input.length) tape[ptr] = input[inAt++];
    } else if (op === BF_OPS.clear) tape[ptr] = 0;
    else if (op === BF_OPS.jz && tape[ptr] === 0) {
      pc = arg;
      continue;
    } else if (op === BF_OPS.jnz && tape[ptr] !== 0) {
      pc = arg;
      continue;
    }
    pc++;
  }
  throw new InternalError(`the reference evaluator stopped after ${maxSteps} steps`);
}

/** The host additions for bytecode alone (`futamura run out.wasm`: no source, so the error names the pc). */
export function host(_bytes: Uint8Array): ProgramHost {
  return {
    describeError: (kind, pc) =>
      `runtime error: ${BF_ERRORS[kind] ?? `error ${kind}`} (instruction ${pc / INSN_SIZE}; run the source for its line)`,
  };
}

const beside = (file: string, ext: string) => file.replace(/\.(b|bf)$/, "") + ext;

export function load(file: string, data: Uint8Array): LoadedProgram {
  const code = parseBrainfuck(sourceText(data, file, "a Brainfuck program is source text"), file);
  const outFile = beside(file, ".out");
  const inFile = beside(file, ".in");
  const errFile = beside(file, ".err");
  return {
    bytes: encodeBrainfuck(code),
    input: existsSync(inFile) ? new Uint8Array(readFileSync(inFile)) : undefined,
    expect: {
      stdout: existsSync(outFile) ? new Uint8Array(readFileSync(outFile)) : undefined,
      error: existsSync(errFile) ? readFileSync(errFile, "utf8").trim() : undefined,
    },
    host: {
      describeError: (kind, pc) => {
        const at = code[pc / INSN_SIZE];
        const what = BF_ERRORS[kind] ?? `error ${kind}`;
        return at
          ? `${file}:${at.line}:${at.col}: runtime error: ${what}`
          : `${file}: runtime error: ${what} (pc ${pc})`;
      },
    },
  };
}
