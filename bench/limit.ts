// The physical limit: sum-to-N written directly as a Wasm function (i64 loop, no interpreter, no memory), built
// with binaryen from text. What a perfect compiler of the toy program would emit.
import { loadBinaryen, withFeatures } from "../util/binaryen.ts";
import { InternalError } from "../util/errors.ts";

export const LIMIT_WAT = `(module
  (func (export "sum") (param $n i64) (result i64)
    (local $result i64)
    (loop $loop
      (local.set $result (i64.add (local.get $result) (local.get $n)))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br_if $loop (i64.ne (local.get $n) (i64.const 0))))
    (local.get $result)))`;

export async function limitModule(): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = withFeatures(b, b.parseText(LIMIT_WAT));
  try {
    if (!mod.validate()) throw new InternalError("limit module does not validate");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}
