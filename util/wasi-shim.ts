// A small WASI preview1 in JavaScript, instead of node:wasi, for the commands futamura runs (a C interpreter's init
// in the snapshot stage, its snapshot and wevaled module): arguments, environment, standard input from bytes or a
// reader, standard output and error to sinks, clocks, random bytes, exit; files through a file layer the caller gives
// (WasiFileLayer: util/wasi-files.ts grants host directories on Node; none by default, so a program's open() fails as
// on a host that granted none). It imports nothing of Node's, so the explorer's browser bundle takes it as it is. Why
// not node:wasi: on Node 20 (v20.20) a module whose memory grows (realloc to tens of MB) and then makes a WASI call
// corrupts V8's heap (a crash later, in the GC or in unrelated JavaScript objects); a plain C program that reallocs
// an array to 48 MB and then printf()s reproduces it, the same module with these imports does not. Every call reads
// the memory afresh (it may have grown).

export const ERRNO = { SUCCESS: 0, BADF: 8, INVAL: 28, NOSYS: 52, SPIPE: 70, NOTCAPABLE: 76 } as const;

/** Thrown by proc_exit through the module's frames; `start` turns it into the exit code. */
export class WasiExit {
  constructor(readonly code: number) {}
}

/** WASI filetypes the shim reports. */
export const FILETYPE = { UNKNOWN: 0, DIRECTORY: 3, REGULAR: 4, SYMLINK: 7 } as const;

/** A WASI filestat (written as 64 bytes: dev, ino, filetype, nlink, size, atim, mtim, ctim; times in ns). */
export interface FileStat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** The files a module may use, as the WASI calls on them need it: each returns a WASI errno or its result.
 *  util/wasi-files.ts implements it on Node for the host directories a run grants. */
export interface WasiFileLayer {
  has(fd: number): boolean;
  /** A preopened directory: its name's length (fd_prestat_get) and name, or BADF past the last one. */
  prestat(fd: number): { nameLength: number } | number;
  prestatName(fd: number): Uint8Array | number;
  open(dirFd: number, path: string, oflags: number, rights: bigint, fdflags: number): { fd: number } | number;
  read(fd: number, into: Uint8Array): { n: number } | number;
  write(fd: number, bytes: Uint8Array): { n: number } | number;
  seek(fd: number, offset: bigint, whence: number): { pos: bigint } | number;
  close(fd: number): number;
  filetype(fd: number): number;
  statFd(fd: number): FileStat | number;
  statPath(dirFd: number, path: string): FileStat | number;
  change(dirFd: number, path: string, what: "unlink" | "rmdir" | "mkdir"): number;
  rename(fromDir: number, from: string, toDir: number, to: string): number;
  dispose(): void;
}

/** No files at all: no preopened directory, so every file descriptor past the standard streams is bad. */
const NO_FILES: WasiFileLayer = {
  has: () => false,
  prestat: () => ERRNO.BADF,
  prestatName: () => ERRNO.BADF,
  open: () => ERRNO.BADF,
  read: () => ERRNO.BADF,
  write: () => ERRNO.BADF,
  seek: () => ERRNO.BADF,
  close: () => ERRNO.BADF,
  filetype: () => FILETYPE.UNKNOWN,
  statFd: () => ERRNO.BADF,
  statPath: () => ERRNO.BADF,
  change: () => ERRNO.BADF,
  rename: () => ERRNO.BADF,
  dispose: () => {},
};

export interface WasiShimOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Standard input: bytes, or a reader called when the module asks (it fills at most the buffer it is given and
   *  returns how much it read, 0 at the end; util/wasi-files.ts's fdReader reads a descriptor). Default: empty. */
  stdin?: Uint8Array | ((into: Uint8Array) => number);
  /** Bytes read before `stdin` (an interpreter's program, which its init reads, then the program's own input). */
  stdinPrefix?: Uint8Array;
  /** Where fds 1 and 2 go (util/wasi-files.ts's fdWriter writes to a descriptor); default: nowhere. */
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  /** The files the module may use (default: none). */
  files?: WasiFileLayer;
}

/** Fill `bytes` with random values through Web Crypto (Node's global and a browser's alike, so the explorer's bundle
 *  needs no node:crypto), at most 64 KiB per call as getRandomValues allows. */
function randomFill(bytes: Uint8Array<ArrayBuffer>): void {
  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
}

/** A monotonic clock in nanoseconds: Node's hrtime, else the page's performance.now(). */
const monotonicNs = (): bigint =>
  typeof process !== "undefined" ? process.hrtime.bigint() : BigInt(Math.round(performance.now() * 1e6));

type Handler = (...x: never[]) => number | void;

export class WasiShim {
  private memory: WebAssembly.Memory | undefined;
  private stdinAt = 0;
  private readonly files: WasiFileLayer;
  private prefixAt = 0;
  readonly wasiImport: WebAssembly.ModuleImports;

  /** One handler per WASI call, in groups; anything else (sockets, polling) is ENOSYS, which libc reports as such. */
  constructor(private readonly opts: WasiShimOptions = {}) {
    this.files = opts.files ?? NO_FILES;
    const known: Record<string, Handler> = {
      ...this.argsAndEnvironment(),
      ...this.descriptorCalls(),
      ...this.pathCalls(),
      ...this.processCalls(),
    };
    this.wasiImport = new Proxy(known, {
      get: (t, name: string) => t[name] ?? (() => ERRNO.NOSYS),
    }) as WebAssembly.ModuleImports;
  }

  /** args_* and environ_*: each list as NUL-terminated strings, sizes first. */
  private argsAndEnvironment(): Record<string, Handler> {
    const enc = new TextEncoder();
    const strings = (list: Uint8Array[]) => ({
      sizes: (countPtr: number, sizePtr: number) => {
        this.view().setUint32(countPtr, list.length, true);
        this.view().setUint32(
          sizePtr,
          list.reduce((n, s) => n + s.length, 0),
          true,
        );
        return ERRNO.SUCCESS;
      },
      get: (ptrs: number, buf: number) => {
        for (const s of list) {
          this.view().setUint32(ptrs, buf, true);
          this.bytes().set(s, buf);
          ptrs += 4;
          buf += s.length;
        }
        return ERRNO.SUCCESS;
      },
    });
    const a = strings((this.opts.args ?? []).map((x) => enc.encode(`${x}\0`)));
    const e = strings(Object.entries(this.opts.env ?? {}).map(([k, v]) => enc.encode(`${k}=${v}\0`)));
    return { args_sizes_get: a.sizes, args_get: a.get, environ_sizes_get: e.sizes, environ_get: e.get };
  }

  /** fd_*: the standard streams here, other descriptors in the file layer. */
  private descriptorCalls(): Record<string, Handler> {
    const known = (fd: number) => fd <= 2 || this.files.has(fd);
    const seek = (fd: number, offset: bigint, whence: number, ptr: number) => {
      if (fd <= 2) return ERRNO.SPIPE;
      const r = this.files.seek(fd, offset, whence);
      return typeof r === "number" ? r : (this.view().setBigUint64(ptr, r.pos, true), ERRNO.SUCCESS);
    };
    return {
      fd_write: (fd: number, iovs: number, count: number, written: number) => this.fdWrite(fd, iovs, count, written),
      fd_read: (fd: number, iovs: number, count: number, read: number) => this.fdRead(fd, iovs, count, read),
      fd_fdstat_get: (fd: number, ptr: number) => {
        if (!known(fd)) return ERRNO.BADF;
        // stdio: filetype unknown (not a terminal: stdio is fully buffered, as into a pipe); all rights.
        const v = this.view();
        for (let i = 0; i < 24; i++) v.setUint8(ptr + i, 0);
        if (fd > 2) v.setUint8(ptr, this.files.filetype(fd));
        v.setBigUint64(ptr + 8, ~0n, true);
        v.setBigUint64(ptr + 16, ~0n, true);
        return ERRNO.SUCCESS;
      },
      fd_fdstat_set_flags: (fd: number) => (known(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
      fd_seek: seek,
      fd_tell: (fd: number, ptr: number) => seek(fd, 0n, 1, ptr),
      fd_close: (fd: number) => (fd <= 2 ? ERRNO.SUCCESS : this.files.close(fd)),
      fd_sync: (fd: number) => (known(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
      fd_datasync: (fd: number) => (known(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
      fd_prestat_get: (fd: number, ptr: number) => {
        const r = this.files.prestat(fd);
        if (typeof r === "number") return r;
        this.view().setUint32(ptr, 0, true); // a directory
        this.view().setUint32(ptr + 4, r.nameLength, true);
        return ERRNO.SUCCESS;
      },
      fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
        const r = this.files.prestatName(fd);
        if (typeof r === "number") return r;
        this.bytes().set(r.subarray(0, len), ptr);
        return ERRNO.SUCCESS;
      },
      fd_filestat_get: (fd: number, ptr: number) => (fd <= 2 ? ERRNO.BADF : this.writeStat(this.files.statFd(fd), ptr)),
    };
  }

  /** path_*: all in the file layer, the path read from memory. */
  private pathCalls(): Record<string, Handler> {
    return {
      path_open: (
        fd: number,
        _dirflags: number,
        path: number,
        pathLen: number,
        oflags: number,
        rights: bigint,
        _inheriting: bigint,
        fdflags: number,
        out: number,
      ) => {
        const r = this.files.open(fd, this.string(path, pathLen), oflags, rights, fdflags);
        return typeof r === "number" ? r : (this.view().setUint32(out, r.fd, true), ERRNO.SUCCESS);
      },
      path_filestat_get: (fd: number, _flags: number, path: number, len: number, ptr: number) =>
        this.writeStat(this.files.statPath(fd, this.string(path, len)), ptr),
      path_unlink_file: (fd: number, path: number, len: number) =>
        this.files.change(fd, this.string(path, len), "unlink"),
      path_remove_directory: (fd: number, path: number, len: number) =>
        this.files.change(fd, this.string(path, len), "rmdir"),
      path_create_directory: (fd: number, path: number, len: number) =>
        this.files.change(fd, this.string(path, len), "mkdir"),
      path_rename: (fd: number, from: number, fromLen: number, toFd: number, to: number, toLen: number) =>
        this.files.rename(fd, this.string(from, fromLen), toFd, this.string(to, toLen)),
    };
  }

  /** Clocks, random bytes, yield and exit. */
  private processCalls(): Record<string, Handler> {
    return {
      clock_res_get: (_id: number, ptr: number) => (this.view().setBigUint64(ptr, 1000n, true), ERRNO.SUCCESS),
      clock_time_get: (id: number, _precision: bigint, ptr: number) => {
        const ns = id === 0 ? BigInt(Date.now()) * 1_000_000n : monotonicNs();
        this.view().setBigUint64(ptr, ns, true);
        return ERRNO.SUCCESS;
      },
      random_get: (buf: number, len: number) => (
        randomFill(this.bytes().subarray(buf, buf + len) as Uint8Array<ArrayBuffer>),
        ERRNO.SUCCESS
      ),
      sched_yield: () => ERRNO.SUCCESS,
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },
    };
  }

  private string(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes().subarray(ptr, ptr + len));
  }

  /** A WASI filestat (64 bytes: dev, ino, filetype, nlink, size, atim, mtim, ctim), or the errno given. */
  private writeStat(s: FileStat | number, ptr: number): number {
    if (typeof s === "number") return s;
    const v = this.view();
    for (let i = 0; i < 64; i++) v.setUint8(ptr + i, 0);
    v.setBigUint64(ptr, s.dev, true);
    v.setBigUint64(ptr + 8, s.ino, true);
    v.setUint8(ptr + 16, s.filetype);
    v.setBigUint64(ptr + 24, s.nlink, true);
    v.setBigUint64(ptr + 32, s.size, true);
    v.setBigUint64(ptr + 40, s.atim, true);
    v.setBigUint64(ptr + 48, s.mtim, true);
    v.setBigUint64(ptr + 56, s.ctim, true);
    return ERRNO.SUCCESS;
  }

  private view(): DataView {
    return new DataView(this.memory!.buffer);
  }

  private bytes(): Uint8Array {
    return new Uint8Array(this.memory!.buffer);
  }

  private fdWrite(fd: number, iovs: number, count: number, written: number): number {
    if (fd !== 1 && fd !== 2) return this.fileIo(fd, iovs, count, written, "write");
    const sink = (fd === 1 ? this.opts.stdout : this.opts.stderr) ?? (() => {});
    const v = this.view();
    let total = 0;
    for (let i = 0; i < count; i++) {
      const ptr = v.getUint32(iovs + 8 * i, true);
      const len = v.getUint32(iovs + 8 * i + 4, true);
      if (!len) continue;
      sink(this.bytes().slice(ptr, ptr + len));
      total += len;
    }
    v.setUint32(written, total, true);
    return ERRNO.SUCCESS;
  }

  private fdRead(fd: number, iovs: number, count: number, read: number): number {
    if (fd !== 0) return this.fileIo(fd, iovs, count, read, "read");
    const v = this.view();
    const prefix = this.opts.stdinPrefix;
    if (prefix && this.prefixAt < prefix.length) {
      // The prefix alone (a short read): what follows it is only read when the module asks again.
      const ptr = v.getUint32(iovs, true);
      const len = count ? Math.min(v.getUint32(iovs + 4, true), prefix.length - this.prefixAt) : 0;
      this.bytes().set(prefix.subarray(this.prefixAt, this.prefixAt + len), ptr);
      this.prefixAt += len;
      this.view().setUint32(read, len, true);
      return ERRNO.SUCCESS;
    }
    if (typeof this.opts.stdin === "function") {
      // One read into the first buffer: no more than the program asked for.
      const ptr = v.getUint32(iovs, true);
      const len = count ? v.getUint32(iovs + 4, true) : 0;
      const n = len ? this.opts.stdin(this.bytes().subarray(ptr, ptr + len)) : 0;
      this.view().setUint32(read, n, true);
      return ERRNO.SUCCESS;
    }
    const input = this.opts.stdin ?? new Uint8Array(0);
    let total = 0;
    for (let i = 0; i < count && this.stdinAt < input.length; i++) {
      const ptr = v.getUint32(iovs + 8 * i, true);
      const len = Math.min(v.getUint32(iovs + 8 * i + 4, true), input.length - this.stdinAt);
      this.bytes().set(input.subarray(this.stdinAt, this.stdinAt + len), ptr);
      this.stdinAt += len;
      total += len;
    }
    v.setUint32(read, total, true);
    return ERRNO.SUCCESS;
  }

  /** fd_read/fd_write on a granted file: each buffer in turn, stopping at a short read. */
  private fileIo(fd: number, iovs: number, count: number, done: number, what: "read" | "write"): number {
    if (!this.files.has(fd)) return ERRNO.BADF;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const ptr = this.view().getUint32(iovs + 8 * i, true);
      const len = this.view().getUint32(iovs + 8 * i + 4, true);
      const buf = this.bytes().subarray(ptr, ptr + len);
      const r = what === "read" ? this.files.read(fd, buf) : this.files.write(fd, buf);
      if (typeof r === "number") return r;
      total += r.n;
      if (r.n < len) break;
    }
    this.view().setUint32(done, total, true);
    return ERRNO.SUCCESS;
  }

  /** Close the files the module left open (after its run). */
  dispose(): void {
    this.files.dispose();
  }

  /** Bind to the instance's memory (before calling any of its exports). */
  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  /** Run `_start`; its exit code (proc_exit's, else 0). */
  start(instance: WebAssembly.Instance): number {
    this.bind(instance.exports.memory as WebAssembly.Memory);
    try {
      (instance.exports._start as () => void)();
      return 0;
    } catch (e) {
      if (e instanceof WasiExit) return e.code;
      throw e;
    }
  }
}
