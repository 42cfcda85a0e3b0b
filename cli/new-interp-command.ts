// `futamura new-interp NAME`: scaffold a starting interpreter from interp/template/ into ./NAME/ — its manifest
// (futamura-interp.json, found by every command from the current directory), the AssemblyScript source with its
// two bodies, weval.ts (weval's ABI binding), a loader, an example program, a test on the library API and a
// package.json whose `npm test` runs it — which builds and passes `futamura diff` unmodified. Never writes into an existing folder.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve, sep } from "node:path";
import { knownManifests, MANIFEST_FILE } from "../interp/manifest.ts";
import { UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";

const TEMPLATE = join(ROOT, "interp", "template");

export async function newInterpCommand(name: string, opts: { dir?: string; ext?: string }): Promise<number> {
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new UserError(
      `futamura new-interp: '${name}' is not a usable name (lowercase letters, digits and '-', starting with a letter)`,
    );
  const ext = (opts.ext ?? name).replace(/^\./, "");
  if (!/^[A-Za-z0-9]+$/.test(ext))
    throw new UserError(`futamura new-interp: '--ext ${opts.ext}' must be letters and digits, like 'calc'`);
  const dir = resolve(opts.dir ?? name);
  if (existsSync(dir))
    throw new UserError(
      `${relative(process.cwd(), dir) || dir}: error: already exists; new-interp writes a new folder and never into an existing one`,
    );
  for (const m of knownManifests()) {
    if (m.name === name)
      throw new UserError(
        `futamura new-interp: an interpreter named '${name}' exists already (${relative(process.cwd(), m.file)})`,
      );
    if (m.extensions.includes(`.${ext}`))
      throw new UserError(
        `futamura new-interp: .${ext} files belong to '${m.name}' already; choose another extension with --ext`,
      );
  }
  // The scaffold's package.json first: how its test imports the library depends on the package scope it makes.
  mkdirSync(join(dir, "programs"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    readFileSync(join(TEMPLATE, "package.json"), "utf8").replaceAll("__NAME__", name),
  );
  const api = libraryImport(dir);
  const fill = (file: string) =>
    readFileSync(join(TEMPLATE, file), "utf8")
      .replaceAll("__NAME__", name)
      .replaceAll("__EXT__", ext)
      .replaceAll("__API__", api);
  const files: [string, string][] = [
    [MANIFEST_FILE, fill("manifest.json")],
    [`${name}.ts`, fill("interp.ts")],
    ["weval.ts", readFileSync(join(ROOT, "interp", "as", "weval.ts"), "utf8")],
    ["loader.mjs", fill("loader.mjs")],
    [join("programs", `example.${ext}`), fill("example.prog")],
    [`${name}.test.mjs`, fill("test.mjs")],
    ["package.json", fill("package.json")],
  ];
  for (const [f, text] of files) writeFileSync(join(dir, f), text);
  const at = relative(process.cwd(), dir) || ".";
  const example = join(at, "programs", `example.${ext}`);
  process.stdout.write(
    `${files.map(([f]) => `${join(at, f)}`).join("\n")}\n\n` +
      `Next (commands find ${join(at, MANIFEST_FILE)} from the folder above it):\n` +
      `  npx futamura build-interp ${join(at, MANIFEST_FILE)}\n` +
      `  npx futamura run --aot ${example}\n` +
      `  npx futamura diff ${example}\n` +
      `  npx futamura bench ${example}\n` +
      `  cd ${at} && npm test\n`,
  );
  return 0;
}

/** How the scaffold's test imports the library API: "futamura" where that resolves to this copy (a project with
 *  futamura installed), else the compiled API by relative path (inside futamura's own repository). */
function libraryImport(dir: string): string {
  try {
    const found = createRequire(join(dir, "package.json")).resolve("futamura");
    if (found.startsWith(ROOT + sep) || realpathSync(found).startsWith(realpathSync(ROOT) + sep)) return "futamura";
  } catch {
    // not resolvable from there
  }
  const path = relative(dir, join(ROOT, "dist", "api", "index.js"))
    .split(sep)
    .join("/");
  return path.startsWith(".") ? path : `./${path}`;
}
