// --dump-ir's file names (specializer/index.ts): one set per request, `request<user id>-<phase>.ir`, with the
// request's position added when user ids repeat (every Fern function's request carries the same one). Relies on
// interp/, lang/ and pipeline/.
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { buildProgram } from "../../pipeline/build.ts";

describe("--dump-ir file names", () => {
  it("give each request its own files when user ids repeat", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const program = fernLoaded(compileFern("fn twice(x) {\n  return x * 2;\n}\nprint(twice(21));\n", "twice.fern"));
    const files = new Map<string, string>();
    const built = await buildProgram(interp, program, { cache: false, dumpIr: (file, text) => files.set(file, text) });
    const ids = built.specialize!.requests.map((r) => r.userId);
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(1);
    expect(files.size).toBe(3 * ids.length);
    ids.forEach((id, i) => {
      for (const phase of ["generic", "specialized", "cleaned"]) expect(files.has(`request${id}-${i + 1}-${phase}.ir`)).toBe(true);
    });
  });
});
