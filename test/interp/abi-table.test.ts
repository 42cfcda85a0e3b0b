// The declarations of weval's ABI that cannot import the table (abi/weval.ts) agree with it: the AssemblyScript
// binding interp/as/weval.ts, the C header interp/c/weval.h and the stubs interp/c/weval-stubs.wat — names,
// signatures, stub behaviour, request layout and argument type codes. Reads the files as text (~50 ms on 2026-12-06).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARG, ARG_TYPE_CODES, REQ, WEVAL_INTRINSICS, type IntrinsicSpec } from "../../abi/weval.ts";
import { ROOT } from "../../util/root.ts";

const read = (...p: string[]) => readFileSync(join(ROOT, ...p), "utf8");
const table = WEVAL_INTRINSICS as Record<string, IntrinsicSpec>;
const signature = (params: readonly string[], results: readonly string[]) =>
  `(${params.join(",")})->(${results.join(",")})`;
const expected = (name: string) => signature(table[name].params, table[name].results);

describe("the weval ABI table (abi/weval.ts)", () => {
  it("is what interp/as/weval.ts declares: each @external's name, function name and signature, and the layout", () => {
    const src = read("interp", "as", "weval.ts");
    const asType = (t: string) => (t === "u64" || t === "i64" ? "i64" : "i32");
    const declared = new Map<string, string>();
    for (const [, name, fn, params, result] of src.matchAll(
      /@external\("weval", "([^"]+)"\) export declare function (\w+)\(([^)]*)\): (\w+);/g,
    )) {
      expect(table[name]?.as, name).toBe(fn);
      const ps = params ? params.split(",").map((p) => asType(p.split(":")[1].trim())) : [];
      expect(signature(ps, result === "void" ? [] : [asType(result)]), name).toBe(expected(name));
      declared.set(name, fn);
    }
    expect([...declared.keys()].sort()).toEqual(
      Object.keys(table)
        .filter((n) => table[n].as)
        .sort(),
    );
    const constant = (name: string) => Number(src.match(new RegExp(`export const ${name}: u32 = (\\d+);`))?.[1]);
    const fields: Record<string, keyof typeof REQ> = {
      NEXT: "next",
      PREV: "prev",
      USER_ID: "userId",
      NUM_GLOBALS: "numGlobals",
      FUNC: "func",
      ARGBUF: "argbuf",
      ARGLEN: "arglen",
      SPECIALIZED: "specialized",
      SIZE: "size",
    };
    for (const [c, f] of Object.entries(fields)) expect(constant(`REQ_${c}`), c).toBe(REQ[f]);
    for (const [ty, code] of Object.entries(ARG_TYPE_CODES)) expect(constant(`ARG_${ty.toUpperCase()}`), ty).toBe(code);
    expect(constant("ARG_HEADER_SIZE")).toBe(ARG.headerSize);
  });

  it("is what interp/c/weval.h declares: each import's C name (weval's) and signature, and the type codes", () => {
    const src = read("interp", "c", "weval.h");
    const cType = (t: string) => (/\*/.test(t) ? "i32" : /uint64_t/.test(t) ? "i64" : "i32");
    const declared = new Map<string, string>();
    for (const [, ret, fn, params, name] of src.matchAll(
      /^([\w ]+?\s*\**)\s*(weval_\w+)\(([^)]*)\) WEVAL_IMPORT\("([^"]+)"\);/gm,
    )) {
      expect(table[name]?.c, name).toBe(fn);
      const ps = params.trim() === "void" ? [] : params.split(",").map((p) => cType(p));
      expect(signature(ps, ret.trim() === "void" ? [] : [cType(ret)]), name).toBe(expected(name));
      declared.set(name, fn);
    }
    expect([...declared.keys()].sort()).toEqual(
      Object.keys(table)
        .filter((n) => table[n].c)
        .sort(),
    );
    for (const [ty, code] of Object.entries(ARG_TYPE_CODES))
      expect(src, ty).toContain(`WEVAL_ARG_${ty.toUpperCase()} = ${code},`);
  });

  it("is what interp/c/weval-stubs.wat does: one export per intrinsic weval.h declares, its signature and stub", () => {
    const wat = read("interp", "c", "weval-stubs.wat");
    const names: string[] = [];
    for (const [, name, rest] of wat.matchAll(/\(func \(export "([^"]+)"\)([^\n]*)/g)) {
      const params = [...(rest.match(/\(param ([^)]*)\)/)?.[1].split(" ") ?? [])];
      const results = [...(rest.match(/\(result ([^)]*)\)/)?.[1].split(" ") ?? [])];
      expect(signature(params, results), name).toBe(expected(name));
      const behaviour = rest.includes("(unreachable)")
        ? "trap"
        : rest.includes("(local.get 0)")
          ? "identity"
          : "nothing";
      expect(behaviour, name).toBe(table[name].stub);
      names.push(name);
    }
    expect(names.sort()).toEqual(
      Object.keys(table)
        .filter((n) => table[n].c)
        .sort(),
    );
  });
});
