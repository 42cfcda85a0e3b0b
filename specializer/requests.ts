// Reading weval requests out of a snapshot's memory image, byte for byte as the ABI table (abi/weval.ts) lays
// them out: weval_req_t {next@0, prev@4, user_id@8, num_globals@12, func@16, argbuf@20, arglen@24,
// specialized@28} and argument records {u32 specialize@0, u32 ty@4, u64 payload@8} (a buffer's payload is {u32
// len, u32 padded_len} and its bytes follow, zero-padded to a multiple of 8). Also evaluates the exported address
// functions (`weval.pending.head`, `weval.is.wevaled`), which return constants, by specializing them with no
// arguments.
import { ARG, ARG_TYPES, REQ, type WevalArg, type WevalRequest } from "../abi/weval.ts";
import { UserError } from "../util/errors.ts";
import { buildFunctionIR } from "./ssa/frontend.ts";
import { toMaxSSA } from "./ssa/max-ssa.ts";
import { exportedFunction, type WasmModuleInfo } from "./ssa/module.ts";
import { specializeFunction, type ArgSpec } from "./weval/specialize.ts";

export { ARG_TYPES, REQ, type WevalArg, type WevalRequest };

/** The memory image a module starts with: its active data segments laid over zeroed initial memory. */
export function initialMemory(info: WasmModuleInfo): Uint8Array {
  const mem = info.memories[0];
  if (!mem) return new Uint8Array(0);
  const image = new Uint8Array(mem.initial * 65536);
  for (const d of info.data) {
    if (d.memory !== 0 || d.offset === undefined) continue;
    // Valid Wasm, but instantiating it traps: not a snapshot any engine could have written.
    if (d.offset + d.bytes.length > image.length)
      throw new UserError(
        `error: a data segment (bytes ${d.offset}..${d.offset + d.bytes.length}) lies outside the module's initial memory (${image.length} bytes): instantiating it would trap`,
      );
    image.set(d.bytes, d.offset);
  }
  return image;
}

/** The constant an exported, argument-less function returns (such as `weval.pending.head`), if it exports one. */
export function constantExport(info: WasmModuleInfo, name: string): number | undefined {
  const fn = exportedFunction(info, name);
  if (!fn) return undefined;
  if (fn.type.params.length !== 0 || fn.type.results.join() !== "i32")
    throw new UserError(
      `export '${name}' should be a function () -> i32, it is (${fn.type.params}) -> (${fn.type.results})`,
    );
  const ir = buildFunctionIR(info, fn.index);
  toMaxSSA(ir);
  const { body } = specializeFunction(ir, [] as ArgSpec[], new Map());
  for (const b of body.reversePostorder()) {
    const t = body.blocks[b].term;
    if (t.kind !== "return") continue;
    const d = body.values[t.values[0]];
    if (d.kind === "op" && d.op.name === "const") return Number(d.op.value!.bits);
  }
  throw new UserError(`export '${name}' does not return a constant address`);
}

export function readPendingRequests(memory: Uint8Array, headAddr: number): WevalRequest[] {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const u32 = (at: number, what: string): number => {
    if (at < 0 || at + 4 > memory.length)
      throw new UserError(`weval request list: ${what} at address ${at} is outside memory (${memory.length} bytes)`);
    return view.getUint32(at, true);
  };
  const requests: WevalRequest[] = [];
  const seen = new Set<number>();
  for (let addr = u32(headAddr, "the list head"); addr !== 0; addr = u32(addr + REQ.next, "a request's next pointer")) {
    if (seen.has(addr)) throw new UserError(`weval request list: a cycle at request ${addr}`);
    seen.add(addr);
    const argbuf = u32(addr + REQ.argbuf, "argbuf");
    const arglen = u32(addr + REQ.arglen, "arglen");
    if (argbuf + arglen > memory.length)
      throw new UserError(`weval request at ${addr}: its arguments (${argbuf}+${arglen}) run past memory`);
    const args: WevalArg[] = [];
    for (let at = argbuf; at < argbuf + arglen;) {
      const specialize = u32(at + ARG.specialize, "an argument") !== 0;
      const tyCode = u32(at + ARG.ty, "an argument type");
      const ty = ARG_TYPES[tyCode];
      if (!ty) throw new UserError(`weval request at ${addr}: argument ${args.length} has unknown type ${tyCode}`);
      if (ty === "buffer") {
        const len = u32(at + ARG.bufferLen, "a buffer length");
        const padded = u32(at + ARG.bufferPaddedLen, "a buffer's padded length");
        const bytes = at + ARG.headerSize;
        if (padded < len || bytes + padded > argbuf + arglen)
          throw new UserError(
            `weval request at ${addr}: buffer argument ${args.length} (len ${len}, padded ${padded}) does not fit its record`,
          );
        args.push({ specialize, ty, bytes: memory.slice(bytes, bytes + len), addr: bytes });
        at = bytes + padded;
        continue;
      }
      const value =
        ty === "i64" || ty === "f64"
          ? view.getBigUint64(at + ARG.payload, true)
          : ty === "none"
            ? undefined
            : view.getUint32(at + ARG.payload, true);
      args.push({ specialize, ty, value });
      at += ARG.headerSize;
    }
    requests.push({
      addr,
      next: u32(addr + REQ.next, "next"),
      prev: u32(addr + REQ.prev, "prev"),
      userId: u32(addr + REQ.userId, "user_id"),
      numGlobals: u32(addr + REQ.numGlobals, "num_globals"),
      func: u32(addr + REQ.func, "func"),
      argbuf,
      arglen,
      specializedSlot: u32(addr + REQ.specialized, "specialized"),
      args,
      argBytes: memory.slice(argbuf, argbuf + arglen),
    });
  }
  return requests;
}
