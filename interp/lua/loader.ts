// The Lua interpreter's loader (interp/manifests/lua.json): a script becomes what interp/lua/driver.c reads on
// standard input in init, "NAME\0SOURCE", NAME being the file as given (Lua's chunk name: error messages say
// `NAME:LINE:`, as `lua NAME` does). Relies on pipeline/program.ts's LoadedProgram shape only.
export function load(file: string, data: Uint8Array): { bytes: Uint8Array } {
  const name = new TextEncoder().encode(file);
  if (name.includes(0)) throw new Error(`${file}: error: a file name with a NUL byte`);
  const bytes = new Uint8Array(name.length + 1 + data.length);
  bytes.set(name, 0);
  bytes.set(data, name.length + 1);
  return { bytes };
}
