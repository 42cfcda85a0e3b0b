// Turns a toy-interpreter module (a snapshot or a wevaled module) into a WASI command core module, so jco can make
// it a component: the host imports become functions written here with binaryen's builder — write and
// print_u64 over WASI fd_write (print_u64 formats the decimal itself), trace a no-op, the program-input and abort
// imports traps (a snapshot already holds its program), the weval intrinsics their stubs — and it gains `_start`
// (runs the program) and `cabi_realloc` (a bump allocator in pages of its own, which the WASI adapter needs; the
// AssemblyScript stub runtime's heap must not be shared with it, see shared/NOTES.md).
import { loadBinaryen, withFeatures, type Binaryen, type BinaryenModule } from "../util/binaryen.ts";
import { ModuleNames } from "../specializer/ssa/backend.ts";
import { decodeModule } from "../specializer/ssa/module.ts";
import { stubBehaviour } from "../abi/weval.ts";
import { InternalError } from "../util/errors.ts";

/** Pages the wrapper grows for itself: one scratch page for I/O, the rest for cabi_realloc. */
const OWN_PAGES = 32;

export async function wasiCommand(toyModule: Uint8Array): Promise<Uint8Array> {
  const info = decodeModule(toyModule);
  const b = await loadBinaryen();
  const mod = withFeatures(b, b.readBinary(toyModule));
  try {
    const names = new ModuleNames(b, mod); // the input's functions, before the wrapper adds its own
    const { i32, i64, none } = b;
    mod.addFunctionImport(FD_WRITE, "wasi_snapshot_preview1", "fd_write", b.createType([i32, i32, i32, i32]), i32);
    addRegion(b, mod);
    provideImports(b, mod, info, names);
    addCabiRealloc(b, mod);
    mod.addFunctionExport("cabi_realloc", "cabi_realloc");
    const run = info.exports.find((e) => e.name === "run" && e.kind === "func");
    if (!run) throw new InternalError("wasi-command: the module exports no `run`");
    mod.addFunction("wasi._start", none, none, [], mod.drop(mod.call(names.functions[run.index], [], i64)));
    mod.addFunctionExport("wasi._start", "_start");
    if (!mod.validate()) throw new InternalError("wasi-command: binaryen rejected the wrapped module");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

const FD_WRITE = "wasi.fd_write";

/** The wrapper's own region: base = memory.grow(OWN_PAGES) * 64 KiB on first use (`wasi.region()`). */
function addRegion(b: Binaryen, mod: BinaryenModule): void {
  const { i32, none } = b;
  mod.addGlobal("wasi.base", i32, true, mod.i32.const(0));
  mod.addGlobal("wasi.bump", i32, true, mod.i32.const(0));
  mod.addFunction(
    "wasi.region",
    none,
    i32,
    [i32],
    mod.block(
      null,
      [
        mod.if(
          mod.i32.eqz(mod.global.get("wasi.base", i32)),
          mod.block(null, [
            mod.local.set(0, mod.memory.grow(mod.i32.const(OWN_PAGES))),
            mod.if(mod.i32.eq(mod.local.get(0, i32), mod.i32.const(-1)), mod.unreachable()),
            mod.global.set("wasi.base", mod.i32.shl(mod.local.get(0, i32), mod.i32.const(16))),
            mod.global.set("wasi.bump", mod.i32.add(mod.global.get("wasi.base", i32), mod.i32.const(65536))),
          ]),
        ),
        mod.global.get("wasi.base", i32),
      ],
      i32,
    ),
  );
}

/** write(ptr, len): one iovec at region+0, bytes written at region+8; uses local 9 for the region. */
function writeOut(b: Binaryen, mod: BinaryenModule, ptr: number, len: number): number[] {
  const { i32 } = b;
  return [
    mod.local.set(9, mod.call("wasi.region", [], i32)),
    mod.i32.store(0, 4, mod.local.get(9, i32), ptr),
    mod.i32.store(4, 4, mod.local.get(9, i32), len),
    mod.drop(
      mod.call(
        FD_WRITE,
        [
          mod.i32.const(1),
          mod.local.get(9, i32),
          mod.i32.const(1),
          mod.i32.add(mod.local.get(9, i32), mod.i32.const(8)),
        ],
        i32,
      ),
    ),
  ];
}

/** print_u64's body: locals 0 value (i64), 1 cursor, 2..8 unused, 9 region; digits go backwards from region+64. */
function printU64(b: Binaryen, mod: BinaryenModule): number {
  const { i32, i64 } = b;
  return mod.block(null, [
    mod.local.set(1, mod.i32.add(mod.call("wasi.region", [], i32), mod.i32.const(64))),
    mod.loop(
      "digits",
      mod.block(null, [
        mod.local.set(1, mod.i32.sub(mod.local.get(1, i32), mod.i32.const(1))),
        mod.i32.store8(
          0,
          1,
          mod.local.get(1, i32),
          mod.i32.add(
            mod.i32.const(48),
            mod.i32.wrap(mod.i64.rem_u(mod.local.get(0, i64), mod.i64.const(10n as never))),
          ),
        ),
        mod.local.set(0, mod.i64.div_u(mod.local.get(0, i64), mod.i64.const(10n as never))),
        mod.br("digits", mod.i64.ne(mod.local.get(0, i64), mod.i64.const(0n as never))),
      ]),
    ),
    ...writeOut(
      b,
      mod,
      mod.local.get(1, i32),
      mod.i32.sub(mod.i32.add(mod.call("wasi.region", [], i32), mod.i32.const(64)), mod.local.get(1, i32)),
    ),
  ]);
}

/** Every import the toy host provides, replaced by a function of the module: write and print_u64 over fd_write,
 *  trace a no-op, the weval intrinsics their stubs, the rest traps. */
function provideImports(b: Binaryen, mod: BinaryenModule, info: ReturnType<typeof decodeModule>, names: ModuleNames) {
  const { i32, none } = b;
  const replace = (index: number, body: (params: number[]) => number, vars: number[] = []) => {
    const fn = info.functions[index];
    const name = names.functions[index];
    mod.removeFunction(name);
    const params = fn.type.params.map((t) => b[t]);
    mod.addFunction(
      name,
      params.length ? b.createType(params) : none,
      fn.type.results.length ? b[fn.type.results[0]] : none,
      vars,
      body(params),
    );
  };
  for (const fn of info.functions) {
    if (!fn.import) continue;
    const { module, name } = fn.import;
    if (module === "weval") {
      const behaviour = stubBehaviour(name);
      replace(fn.index, (params) =>
        behaviour === "nothing"
          ? mod.nop()
          : behaviour === "identity"
            ? mod.local.get(0, params[0])
            : mod.unreachable(),
      );
    } else if (module === "futamura" && name === "write") {
      // locals: 0 ptr, 1 len, 2..8 unused, 9 region
      replace(fn.index, () => mod.block(null, writeOut(b, mod, mod.local.get(0, i32), mod.local.get(1, i32))), [
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
      ]);
    } else if (module === "futamura" && name === "print_u64") {
      replace(fn.index, () => printU64(b, mod), [i32, i32, i32, i32, i32, i32, i32, i32, i32]);
    } else if (module === "futamura" && name === "trace") replace(fn.index, () => mod.nop());
    else if (module === "futamura" || module === "env") replace(fn.index, () => mod.unreachable());
    else if (module !== "wasi_snapshot_preview1")
      throw new InternalError(`wasi-command: cannot provide import ${module}.${name}`);
  }
}

/** cabi_realloc(old, old_size, align, new_size): bump allocation in the wrapper's own pages. */
function addCabiRealloc(b: Binaryen, mod: BinaryenModule): void {
  const { i32 } = b;
  mod.addFunction(
    "cabi_realloc",
    b.createType([i32, i32, i32, i32]),
    i32,
    [i32],
    mod.block(
      null,
      [
        mod.drop(mod.call("wasi.region", [], i32)),
        mod.local.set(
          4,
          mod.i32.and(
            mod.i32.add(mod.global.get("wasi.bump", i32), mod.i32.sub(mod.local.get(2, i32), mod.i32.const(1))),
            mod.i32.sub(mod.i32.const(0), mod.local.get(2, i32)),
          ),
        ),
        mod.global.set("wasi.bump", mod.i32.add(mod.local.get(4, i32), mod.local.get(3, i32))),
        mod.if(
          mod.i32.gt_u(
            mod.global.get("wasi.bump", i32),
            mod.i32.add(mod.global.get("wasi.base", i32), mod.i32.const(OWN_PAGES * 65536)),
          ),
          mod.unreachable(),
        ),
        mod.if(
          mod.local.get(0, i32),
          mod.memory.copy(
            mod.local.get(4, i32),
            mod.local.get(0, i32),
            mod.select(
              mod.i32.lt_u(mod.local.get(1, i32), mod.local.get(3, i32)),
              mod.local.get(1, i32),
              mod.local.get(3, i32),
            ),
          ),
        ),
        mod.local.get(4, i32),
      ],
      i32,
    ),
  );
}
