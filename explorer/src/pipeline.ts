// The first Futamura projection, run in the page by the project's own stages: source → program bytes
// (bytecode/source.ts or lang/program.ts) → snapshot of the shipped interpreter with the program loaded
// (snapshot/) → specialized module (specializer/, through its `inspect` hook, which hands over each request's
// generic, specialized and cleaned IR with the context each block was made in) → both modules run on the same host
// (interp/host.ts, in run-worker.ts). Nothing here re-implements a stage: it records what the stages did, as plain
// data for the views (posted to the page by pipeline-worker.ts, where this runs) and keeps the IR bodies beside it
// for printing Wasm.
import { formatInstruction } from "../../bytecode/disassembler.ts";
import { loadProgramSource } from "../../bytecode/source.ts";
import { BufferedOutput, InterpreterHost, type ProgramHost } from "../../interp/host.ts";
import { disassembleFern } from "../../lang/disassembler.ts";
import { FUNC_HEADER } from "../../lang/opcodes.ts";
import { compileFern } from "../../lang/program.ts";
import { BF_ERRORS, BF_OPS, encodeBrainfuck, INSN_SIZE, parseBrainfuck } from "../../brainfuck/loader.ts";
import { snapshot } from "../../snapshot/index.ts";
import { specializeModule, type RequestStats, type SpecializeModuleResult } from "../../specializer/index.ts";
import { targetsOf, type BlockId, type FunctionBody } from "../../specializer/ssa/ir.ts";
import { formatTerminator, formatValue } from "../../specializer/ssa/print.ts";
import type { BlockOrigins, Limits } from "../../specializer/weval/specialize.ts";
import { BinaryError, SourceError } from "../../util/errors.ts";
import { programHost, type Language } from "./hosts.ts";
import { blockNames } from "./names.ts";
import { ProgramError } from "./program-error.ts";

export type { Language };

/** One instruction of the listing. */
export interface ListedInstruction {
  pc: number;
  text: string;
  line?: number;
}

/** A bytecode function (the toy machine's whole program is one). */
export interface ListedFunction {
  index: number;
  name: string;
  instructions: ListedInstruction[];
}

/** A block drawn in a graph: its id, its IR lines (header first, terminator last) and its successors. */
export interface GraphBlock {
  id: BlockId;
  /** What the block does, where the function's structure says (names.ts): generic blocks only. */
  name?: string;
  lines: string[];
  succs: BlockId[];
}

/** One (context, generic block) copy in a specialized block. */
export interface BlockCopy {
  /** The context it was made in, as the specializer prints it (`[12]`). */
  context: string;
  /** The context's innermost pc (undefined outside any context). */
  pc?: number;
  /** The generic block it copies. */
  orig: BlockId;
}

/** A specialized block: its own copy (context, pc, orig) and the copies the specializer continued into in the same
 *  block (a straight line of bytecode instructions becomes one block: weval/specialize.ts, `straightInto`). */
export interface SpecializedBlock extends GraphBlock, BlockCopy {
  /** Every copy it holds, its own first. */
  copies: BlockCopy[];
  /** The pcs of its copies. */
  pcs: number[];
}

export interface CleanedBlock extends GraphBlock {
  /** The context of the block itself (merged blocks keep the head's). */
  context: string;
  pc?: number;
  /** The pcs whose specialized blocks' instructions ended up in this block (merging joins straight-line copies). */
  pcs: number[];
  /** The generic blocks whose copies ended up in this block. */
  origs: BlockId[];
}

/** What one weval request went through. */
export interface RequestView {
  /** Position in the module's request list (and in stats). */
  position: number;
  /** The bytecode function it specializes (index into `functions`). */
  func: number;
  stats: RequestStats;
  /** The generic function's table index (the specialized function has its signature). */
  tableIndex: number;
  generic: { name: string; entry: BlockId; blocks: GraphBlock[] };
  specialized?: { entry: BlockId; blocks: SpecializedBlock[] };
  cleaned?: { entry: BlockId; blocks: CleanedBlock[] };
}

/** The IR a request's views were made from, kept in the worker (a FunctionBody does not cross to the page). */
export interface RequestBodies {
  generic: FunctionBody;
  cleaned?: FunctionBody;
}

export interface RunOutcome {
  stdout: string;
  /** The run export's result (the toy machine's halt value). */
  result?: string;
  /** A runtime error the program raised (Fern's errors), or a trap. */
  error?: string;
  ms: number[];
}

export interface Exploration {
  language: Language;
  functions: ListedFunction[];
  programBytes: Uint8Array;
  snapshotWasm: Uint8Array;
  wevaledWasm: Uint8Array;
  specialize: SpecializeModuleResult;
  requests: RequestView[];
  expect?: string;
  times: { compileMs: number; snapshotMs: number; specializeMs: number; optimizeMs: number };
}

export const FILE_NAME: Record<Language, string> = { toy: "program.asm", fern: "program.fern", bf: "program.b" };

interface Compiled {
  bytes: Uint8Array;
  functions: ListedFunction[];
  expect?: string;
  /** The language's additions to the host ABI (Fern's printing and error messages). */
  host?: ProgramHost;
}

/** Stage 1: source → program bytes and the listing. Source errors become ProgramError with the CLI's text. */
export function compileProgram(language: Language, source: string): Compiled {
  try {
    if (language === "toy") {
      const p = loadProgramSource(source, FILE_NAME.toy);
      const instructions = p.program.instructions.map((ins) => ({
        pc: ins.pc,
        text: formatInstruction(ins, p.program.strings, true),
        line: p.lineAt?.get(ins.pc),
      }));
      return { bytes: p.bytes, functions: [{ index: 0, name: "program", instructions }], expect: p.expect.stdout };
    }
    if (language === "bf") return compileBrainfuck(source);
    const p = compileFern(source, FILE_NAME.fern);
    const functions = p.functions.map((f, index) => ({
      index,
      name: f.name,
      instructions: disassembleFern(f.code).map((i) => ({ pc: i.pc, text: i.text, line: f.lines.get(i.pc) })),
    }));
    return { bytes: p.bytes, functions, expect: p.expect.stdout, host: programHost("fern", p.bytes) };
  } catch (e) {
    if (e instanceof SourceError) throw new ProgramError(e.message, e.pos.line, e.pos.col);
    if (e instanceof BinaryError) throw new ProgramError(e.message);
    throw e;
  }
}

const BF_NAMES = Object.fromEntries(Object.entries(BF_OPS).map(([name, op]) => [op, name.toUpperCase()]));

/** Brainfuck (brainfuck/loader.ts): runs merged, one listed instruction per bytecode instruction, errors with the
 *  source position of the instruction that raised them. */
function compileBrainfuck(source: string): Compiled {
  const code = parseBrainfuck(source, FILE_NAME.bf);
  const instructions = code.map((ins, i) => {
    const jump = ins.op === BF_OPS.jz || ins.op === BF_OPS.jnz;
    const arg = jump
      ? ` @${ins.arg * INSN_SIZE}`
      : ins.op === BF_OPS.add || ins.op === BF_OPS.move
        ? ` ${ins.arg}`
        : "";
    return { pc: i * INSN_SIZE, text: `${BF_NAMES[ins.op]}${arg}`, line: ins.line };
  });
  const describeError = (kind: number, pc: number) => {
    const at = code[pc / INSN_SIZE];
    return `${FILE_NAME.bf}:${at?.line}:${at?.col}: runtime error: ${BF_ERRORS[kind] ?? `error ${kind}`}`;
  };
  return {
    bytes: encodeBrainfuck(code),
    functions: [{ index: 0, name: "program", instructions }],
    host: { describeError },
  };
}

/** Context keys an interpreter picks far from any pc (Fern's argument and parameter contexts, 0x40000000 and
 *  0x50000000 up) read better in hex. */
export function formatContext(text: string): string {
  return text.replace(/\d{9,}/g, (n) => "0x" + Number(n).toString(16));
}

function graphBlock(f: FunctionBody, id: BlockId): GraphBlock {
  const b = f.blocks[id];
  const params = b.params.map((p) => `v${p}:${f.typesOf(p)[0]}`).join(", ");
  const lines = [
    `block${id}(${params}):`,
    ...b.insts.map((v) => "  " + formatValue(f, v)),
    "  " + formatTerminator(b.term),
  ];
  return { id, lines, succs: [...new Set(targetsOf(b.term).map((t) => t.block))] };
}

/** Which bytecode function a request specializes: Fern's requests carry the function's blob (its header names
 *  the function); the toy machine has one request for its one program. */
function functionOf(language: Language, args: { ty: string; bytes?: Uint8Array }[]): number {
  if (language !== "fern") return 0;
  const blob = args.find((a) => a.ty === "buffer")?.bytes;
  return blob ? blob[FUNC_HEADER.index] : 0;
}

/** The copies a specialized block holds, for the views. */
function blockCopies(o: BlockOrigins, b: BlockId): BlockCopy[] {
  return o.copies(b).map((c) => ({ context: formatContext(o.describe(c.context)), pc: o.pc(c.context), orig: c.orig }));
}

/** The cleaned blocks, each with the pcs whose raw blocks ended up in it. Cleanup keeps block ids; a raw block
 *  that is gone was merged into its one predecessor (or was an empty block jumped over), so its home is the cleaned
 *  block holding its instructions, else its predecessor's home. */
function cleanedBlocks(body: FunctionBody, o: BlockOrigins, raw: RawBlocks): CleanedBlock[] {
  const order = body.reversePostorder();
  const alive = new Set(order);
  const instHome = new Map<number, BlockId>();
  for (const b of order) for (const v of body.blocks[b].insts) instHome.set(v, b);
  const homes = new Map<BlockId, BlockId | undefined>();
  const home = (b: BlockId, seen = new Set<BlockId>()): BlockId | undefined => {
    if (homes.has(b)) return homes.get(b);
    if (seen.has(b)) return undefined;
    seen.add(b);
    let h: BlockId | undefined = alive.has(b) ? b : undefined;
    for (const v of raw.insts.get(b) ?? []) if (h === undefined) h = instHome.get(v);
    const preds = raw.preds.get(b) ?? [];
    if (h === undefined && preds.length === 1) h = home(preds[0], seen);
    homes.set(b, h);
    return h;
  };
  const pcsOf = new Map<BlockId, Set<number>>();
  const origsOf = new Map<BlockId, Set<BlockId>>();
  const add = (m: Map<BlockId, Set<number>>, k: BlockId, v: number) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);
  for (const b of raw.insts.keys()) {
    const h = home(b);
    if (h === undefined) continue;
    for (const c of raw.copies.get(b) ?? []) {
      add(origsOf, h, c.orig);
      if (c.pc !== undefined) add(pcsOf, h, c.pc);
    }
  }
  return order.map((b): CleanedBlock => {
    const ctx = o.context[b];
    return {
      ...graphBlock(body, b),
      context: formatContext(o.describe(ctx)),
      pc: o.pc(ctx),
      pcs: [...(pcsOf.get(b) ?? [])].sort((x, y) => x - y),
      origs: [...(origsOf.get(b) ?? [])],
    };
  });
}

/** The specialized blocks as the cleanup found them: their copies, instructions and predecessors. */
interface RawBlocks {
  copies: Map<BlockId, BlockCopy[]>;
  insts: Map<BlockId, number[]>;
  preds: Map<BlockId, BlockId[]>;
}

export interface ExploreOptions {
  language: Language;
  source: string;
  /** The interpreter module (build/interp/toy.wasm or fern.wasm). */
  interpreter: Uint8Array;
  limits?: Partial<Limits>;
  /** Called between stages, so the page can say what is happening. */
  progress?: (stage: string) => Promise<void> | void;
}

/** Compile, snapshot and specialize (the runs are the page's, in run-worker.ts): the views' data and the bodies. */
export async function explore(opts: ExploreOptions): Promise<{ exploration: Exploration; bodies: RequestBodies[] }> {
  const step = async (s: string) => opts.progress?.(s);
  await step("compiling");
  let t = performance.now();
  const compiled = compileProgram(opts.language, opts.source);
  const compileMs = performance.now() - t;

  await step("snapshotting the interpreter with the program loaded");
  t = performance.now();
  const host = new InterpreterHost(compiled.bytes, new BufferedOutput(), { host: compiled.host });
  const snap = await snapshot(opts.interpreter, { imports: host.imports, onInstance: (i) => host.bind(i) });
  const snapshotMs = performance.now() - t;

  await step("specializing");
  const requests: RequestView[] = [];
  const bodies: RequestBodies[] = [];
  // The raw specialized blocks, kept until the cleanup's result arrives: their copies, instructions and predecessors.
  let raw: RawBlocks | undefined;
  const specialize = await specializeModule(snap.wasm, {
    limits: opts.limits,
    reportRawSize: true,
    inspect: (req, phase, body, origins) => {
      if (phase === "generic") {
        const names = blockNames(body);
        const blocks = body.reversePostorder().map((b) => ({ ...graphBlock(body, b), name: names.get(b) }));
        requests.push({
          position: requests.length,
          func: functionOf(opts.language, req.args),
          tableIndex: req.func,
          stats: undefined!,
          generic: { name: body.name, entry: body.entry, blocks },
        });
        bodies.push({ generic: body });
        return;
      }
      const view = requests[requests.length - 1];
      const o = origins!;
      if (phase === "specialized") {
        raw = { copies: new Map(), insts: new Map(), preds: new Map() };
        const blocks = body.reversePostorder().map((b): SpecializedBlock => {
          const copies = blockCopies(o, b);
          raw!.copies.set(b, copies);
          raw!.insts.set(b, body.blocks[b].insts.slice());
          raw!.preds.set(b, body.blocks[b].preds.slice());
          const pcs = [...new Set(copies.flatMap((c) => (c.pc === undefined ? [] : [c.pc])))];
          return { ...graphBlock(body, b), ...copies[0], copies, pcs };
        });
        view.specialized = { entry: body.entry, blocks };
        return;
      }
      view.cleaned = { entry: body.entry, blocks: cleanedBlocks(body, o, raw!) };
      bodies[bodies.length - 1].cleaned = body;
    },
  });
  specialize.requests.forEach((s, i) => (requests[i].stats = s));

  const exploration: Exploration = {
    language: opts.language,
    functions: compiled.functions,
    programBytes: compiled.bytes,
    snapshotWasm: snap.wasm,
    wevaledWasm: specialize.wasm,
    specialize,
    requests,
    expect: compiled.expect,
    times: { compileMs, snapshotMs, specializeMs: specialize.specializeMs, optimizeMs: specialize.optimizeMs },
  };
  return { exploration, bodies };
}
