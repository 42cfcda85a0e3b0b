// The Lua interpreter's loader (interp/manifests/lua.json): a script becomes what interp/lua/driver.c reads on
// standard input in init, "NAME\0LENGTH\0SOURCE", NAME being the file as given (Lua's chunk name: error messages
// say `NAME:LINE:`, as `lua NAME` does) and LENGTH the source's size in decimal, so init reads exactly the script and
// what follows on standard input is the script's own input.
export function load(file: string, data: Uint8Array): { bytes: Uint8Array } {
  const name = new TextEncoder().encode(file);
  if (name.includes(0)) throw new Error(`${file}: error: a file name with a NUL byte`);
  const header = new Uint8Array([...name, 0, ...new TextEncoder().encode(String(data.length)), 0]);
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header, 0);
  bytes.set(data, header.length);
  return { bytes };
}
