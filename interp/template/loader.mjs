// __NAME__'s loader: `.__EXT__` assembly → the bytecode __NAME__.ts runs, with the program's expectations and the
// host's runtime error messages. futamura imports this module and calls load(file, data) (the manifest's "loader").
//
//   set r0 10          ; r0 = 10            add r1 r0   ; r1 += r0   (also sub, mul, div)
//   loop:              ; a label            jnz r0 loop ; if r0 != 0 goto loop
//   print r1           ; decimal + newline  halt        exit r2     ; exit code r2
//   ; expect: 55       ; one expected output line (for `futamura run --expect`, diff and bench)
//
// Errors in a program are thrown as `file:line:col: error: …`; runtime errors (futamura.error(code, pc)) become
// `file:line: runtime error: …` through describeError.

/** The opcodes and their operands, as __NAME__.ts numbers them. */
export const OPS = {
  halt: { code: 0, operands: [] },
  set: { code: 1, operands: ["reg", "imm"] },
  add: { code: 2, operands: ["reg", "reg"] },
  sub: { code: 3, operands: ["reg", "reg"] },
  mul: { code: 4, operands: ["reg", "reg"] },
  div: { code: 5, operands: ["reg", "reg"] },
  jnz: { code: 6, operands: ["reg", "label"] },
  print: { code: 7, operands: ["reg"] },
  exit: { code: 8, operands: ["reg"] },
};
const INSN_SIZE = 16;
const REGISTERS = 16;
const ERRORS = { 1: "division by zero" };

/**
 * @param {string} file the program's path
 * @param {Uint8Array} data its bytes
 * @returns {{ bytes: Uint8Array, expect: { stdout?: string }, host: { describeError(code: number, pc: number): string } }}
 */
export function load(file, data) {
  const lines = new TextDecoder().decode(data).split("\n");
  const fail = (line, col, message) => {
    throw new Error(`${file}:${line}:${col}: error: ${message}`);
  };
  const labels = new Map();
  const insns = [];
  const expected = [];
  lines.forEach((text, i) => {
    const expect = /;\s*expect:\s?(.*)$/.exec(text);
    if (expect) expected.push(expect[1]);
    const code = text.replace(/;.*/, "");
    const words = [...code.matchAll(/\S+/g)];
    if (!words.length) return;
    const label = /^([A-Za-z_]\w*):$/.exec(words[0][0]);
    if (label) {
      if (labels.has(label[1])) fail(i + 1, words[0].index + 1, `label '${label[1]}' is already defined`);
      labels.set(label[1], insns.length);
      if (words.length > 1) fail(i + 1, words[1].index + 1, "put the instruction after a label on its own line");
      return;
    }
    const [name, ...args] = words;
    const op = OPS[name[0]];
    if (!op) fail(i + 1, name.index + 1, `unknown instruction '${name[0]}' (instructions: ${Object.keys(OPS).join(", ")})`);
    if (args.length !== op.operands.length) fail(i + 1, name.index + 1, `'${name[0]}' takes ${op.operands.length} operand(s), got ${args.length}`);
    insns.push({ op, args, line: i + 1 });
  });
  if (!insns.length || insns[insns.length - 1].op !== OPS.halt) insns.push({ op: OPS.halt, args: [], line: lines.length });
  const bytes = new Uint8Array(insns.length * INSN_SIZE);
  const view = new DataView(bytes.buffer);
  insns.forEach(({ op, args, line }, k) => {
    const at = k * INSN_SIZE;
    bytes[at] = op.code;
    op.operands.forEach((kind, j) => {
      const [word] = args[j];
      const col = args[j].index + 1;
      if (kind === "reg") {
        const r = /^r(\d+)$/.exec(word);
        if (!r || Number(r[1]) >= REGISTERS) fail(line, col, `expected a register r0..r${REGISTERS - 1}, found '${word}'`);
        bytes[at + 1 + j] = Number(r[1]);
      } else if (kind === "imm") {
        if (!/^-?\d+$/.test(word)) fail(line, col, `expected an integer, found '${word}'`);
        view.setBigUint64(at + 8, BigInt.asUintN(64, BigInt(word)), true);
      } else {
        if (!labels.has(word)) fail(line, col, `unknown label '${word}'`);
        view.setUint32(at + 4, labels.get(word) * INSN_SIZE, true);
      }
    });
  });
  return {
    bytes,
    expect: { stdout: expected.length ? expected.map((l) => `${l}\n`).join("") : undefined },
    host: {
      describeError: (code, pc) => `${file}:${insns[pc / INSN_SIZE]?.line ?? "?"}: runtime error: ${ERRORS[code] ?? `error ${code}`}`,
    },
  };
}
