// The validator: checks a binary program completely before anything runs it, and decodes it. Every loader (the
// CLI, the snapshot stage, the tests) goes through `loadProgram`, so the interpreter may assume a well-formed
// program: known opcodes, whole operands, jump targets on instruction boundaries, local and string indices in range,
// a final HALT, a consistent string table and nothing after it. Each problem is one BinaryError naming the byte
// offset.
import { BinaryError } from "../util/errors.ts";
import { FORMAT_VERSION, HEADER, HEADER_SIZE, MAGIC, MAX_LOCALS, STRING_ENTRY_SIZE, type Program } from "./format.ts";
import { OPCODE_BY_CODE, OPERAND_SIZE, type OpcodeInfo } from "./opcodes.ts";

export interface Instruction {
  /** Byte offset in the code (the pc). */
  pc: number;
  op: OpcodeInfo;
  /** Operand values in table order: u64 as bigint, everything else as number. */
  operands: (number | bigint)[];
}

export interface LoadedProgram extends Program {
  instructions: Instruction[];
  /** Instruction index by pc. */
  indexOfPc: Map<number, number>;
}

type Fail = (offset: number, msg: string) => never;

/** Validate and decode a binary program. `file` names it in errors. */
export function loadProgram(bytes: Uint8Array, file = "<program>"): LoadedProgram {
  const fail: Fail = (offset, msg) => {
    throw new BinaryError(file, offset, msg);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { localCount, codeLength, stringCount } = readHeader(bytes, view, fail);
  const codeEnd = HEADER_SIZE + codeLength;
  const { instructions, indexOfPc } = decodeInstructions(bytes, view, codeEnd, localCount, stringCount, fail);
  checkControlFlow(instructions, indexOfPc, codeLength, fail);
  const strings = readStrings(bytes, view, codeEnd, stringCount, fail);
  return { localCount, code: bytes.slice(HEADER_SIZE, codeEnd), strings, instructions, indexOfPc };
}

/** The header's counts, checked: magic, version, locals in range, code inside the file and not empty. */
function readHeader(
  bytes: Uint8Array,
  view: DataView,
  fail: Fail,
): { localCount: number; codeLength: number; stringCount: number } {
  for (let i = 0; i < MAGIC.length; i++)
    if (bytes[i] !== MAGIC[i])
      fail(
        i,
        i >= bytes.length
          ? "truncated header: not a futamura program"
          : 'bad magic: not a futamura program (expected "FUTA")',
      );
  if (bytes.length < HEADER_SIZE) fail(bytes.length, `truncated header: ${bytes.length} bytes, need ${HEADER_SIZE}`);
  const version = view.getUint16(HEADER.version, true);
  if (version !== FORMAT_VERSION)
    fail(HEADER.version, `unsupported format version ${version} (this futamura reads version ${FORMAT_VERSION})`);
  const localCount = view.getUint16(HEADER.localCount, true);
  if (localCount > MAX_LOCALS) fail(HEADER.localCount, `local count ${localCount} is more than ${MAX_LOCALS}`);
  const codeLength = view.getUint32(HEADER.codeLength, true);
  const stringCount = view.getUint32(HEADER.stringCount, true);
  if (HEADER_SIZE + codeLength > bytes.length)
    fail(HEADER.codeLength, `code length ${codeLength} runs past the end of the file (${bytes.length} bytes)`);
  if (codeLength === 0) fail(HEADER_SIZE, "the program has no instructions (it must end with HALT)");
  return { localCount, codeLength, stringCount };
}

/** Every instruction of the code, with known opcodes, whole operands, and local and string indices in range. */
function decodeInstructions(
  bytes: Uint8Array,
  view: DataView,
  codeEnd: number,
  localCount: number,
  stringCount: number,
  fail: Fail,
): { instructions: Instruction[]; indexOfPc: Map<number, number> } {
  const instructions: Instruction[] = [];
  const indexOfPc = new Map<number, number>();
  for (let at = HEADER_SIZE; at < codeEnd;) {
    const pc = at - HEADER_SIZE;
    const op = OPCODE_BY_CODE.get(bytes[at]);
    if (!op) fail(at, `unknown opcode 0x${bytes[at].toString(16).padStart(2, "0")} at pc ${pc}`);
    const operands: (number | bigint)[] = [];
    let p = at + 1;
    for (const kind of op!.operands) {
      const size = OPERAND_SIZE[kind];
      if (p + size > codeEnd) fail(p, `truncated ${kind} operand of ${op!.name} at pc ${pc}`);
      if (kind === "u64") operands.push(view.getBigUint64(p, true));
      else if (kind === "local") {
        const i = view.getUint8(p);
        if (i >= localCount)
          fail(p, `${op!.name} at pc ${pc}: local index ${i} is out of range (the program has ${localCount} locals)`);
        operands.push(i);
      } else {
        const v = view.getUint32(p, true);
        if (kind === "string" && v >= stringCount)
          fail(p, `${op!.name} at pc ${pc}: string index ${v} is out of range (the table has ${stringCount})`);
        operands.push(v);
      }
      p += size;
    }
    indexOfPc.set(pc, instructions.length);
    instructions.push({ pc, op: op!, operands });
    at = p;
  }
  return { instructions, indexOfPc };
}

/** Jump targets inside the code and on instruction boundaries, and a final HALT. */
function checkControlFlow(
  instructions: Instruction[],
  indexOfPc: Map<number, number>,
  codeLength: number,
  fail: Fail,
): void {
  for (const ins of instructions)
    ins.op.operands.forEach((kind, i) => {
      if (kind !== "label") return;
      const target = ins.operands[i] as number;
      const where = HEADER_SIZE + ins.pc + 1;
      if (target >= codeLength)
        fail(where, `${ins.op.name} at pc ${ins.pc}: jump target ${target} is outside the code (length ${codeLength})`);
      if (!indexOfPc.has(target))
        fail(where, `${ins.op.name} at pc ${ins.pc}: jump target ${target} is not on an instruction boundary`);
    });
  const last = instructions[instructions.length - 1];
  if (last.op.name !== "HALT")
    fail(
      HEADER_SIZE + last.pc,
      `the last instruction (pc ${last.pc}) is ${last.op.name}, not HALT: control would fall off the end`,
    );
}

/** The string table (entries back to back) and its UTF-8 data, with nothing after it. */
function readStrings(bytes: Uint8Array, view: DataView, codeEnd: number, stringCount: number, fail: Fail): string[] {
  const tableEnd = codeEnd + stringCount * STRING_ENTRY_SIZE;
  if (tableEnd > bytes.length) fail(codeEnd, `string table of ${stringCount} entries runs past the end of the file`);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const strings: string[] = [];
  let expectedOffset = 0;
  for (let i = 0; i < stringCount; i++) {
    const entry = codeEnd + i * STRING_ENTRY_SIZE;
    const offset = view.getUint32(entry, true);
    const length = view.getUint32(entry + 4, true);
    if (offset !== expectedOffset)
      fail(
        entry,
        `string ${i} starts at data offset ${offset}, expected ${expectedOffset} (strings are stored back to back)`,
      );
    const start = tableEnd + offset;
    if (start + length > bytes.length) fail(entry + 4, `string ${i} (${length} bytes) runs past the end of the file`);
    try {
      strings.push(decoder.decode(bytes.subarray(start, start + length)));
    } catch {
      fail(start, `string ${i} is not valid UTF-8`);
    }
    expectedOffset += length;
  }
  const end = tableEnd + expectedOffset;
  if (end < bytes.length) fail(end, `${bytes.length - end} bytes of trailing garbage after the string data`);
  return strings;
}
