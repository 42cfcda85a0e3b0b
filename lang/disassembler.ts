// Fern's disassembler: one function's code → its instructions with pcs and operands, as text (`JUMP 12`,
// `CALL 1 2`, `INT 42`). Used by explorer/ for the bytecode listing; browser-safe.
import { FERN_BY_CODE, FERN_OPERAND_SIZE } from "./opcodes.ts";
import { InternalError } from "../util/errors.ts";

export interface FernInstruction {
  pc: number;
  name: string;
  operands: (number | bigint)[];
  text: string;
}

export function disassembleFern(code: Uint8Array): FernInstruction[] {
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const out: FernInstruction[] = [];
  for (let pc = 0; pc < code.length;) {
    const op = FERN_BY_CODE.get(code[pc]);
    if (!op) throw new InternalError(`fern code: unknown opcode 0x${code[pc].toString(16)} at pc ${pc}`);
    let at = pc + 1;
    const operands = op.operands.map((kind) => {
      if (at + FERN_OPERAND_SIZE[kind] > code.length)
        throw new InternalError(`fern code: ${op.name} at pc ${pc} is cut short`);
      const v =
        kind === "i64"
          ? view.getBigInt64(at, true)
          : kind === "f64"
            ? view.getFloat64(at, true)
            : kind === "u32"
              ? view.getUint32(at, true)
              : kind === "u16"
                ? view.getUint16(at, true)
                : view.getUint8(at);
      at += FERN_OPERAND_SIZE[kind];
      return v;
    });
    out.push({ pc, name: op.name, operands, text: [op.name, ...operands.map(String)].join(" ") });
    pc = at;
  }
  return out;
}
