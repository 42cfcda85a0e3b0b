// Node's side of util/wasi-shim.ts: the host directories a run grants (read-only or writable) as WASI preopened
// directories, and the calls wasi-libc's stdio and <stdio.h>/<unistd.h> file functions make on them (path_open,
// fd_read/fd_write/fd_seek/fd_close on files, stat, unlink, rename, mkdir/rmdir) — the shim's WasiFileLayer — and
// standard streams on this process's descriptors (fdReader, fdWriter).
//
// Invariants: a guest sees each granted directory under its host absolute path (so paths in messages are the
// host's, and an absolute path works as on the host), and "/" as one more preopen that grants nothing; a path is allowed when, resolved on the host (symbolic links
// followed), it lies inside a granted directory: inside a writable one to create, write, truncate, remove or rename,
// inside any one to read. So `..` may leave the directory a call started from, never the union of the grants (a
// program's `../sibling/x.lua` works when both folders are granted). What is refused is EACCES ("Permission
// denied"), what is missing ENOENT, as a host would say. Reads and writes use Node's positioned fs calls with the
// position kept here (Node has no lseek).
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { writeAllSync } from "./files.ts";
import { FILETYPE, WasiExit, type FileStat, type WasiFileLayer } from "./wasi-shim.ts";

/** A host directory a run grants. */
export interface Grant {
  dir: string;
  write?: boolean;
  /** Read what the symbolic links inside lead to, wherever that is: a library folder whose files link elsewhere, as
   *  Debian's /usr/share/lua/5.4/dkjson.lua links to ../5.1/dkjson.lua. A path counts as inside by its name. */
  links?: boolean;
}

/** WASI preview1 errno values this file returns. */
const E = {
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  EXIST: 20,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  PERM: 63,
  SPIPE: 70,
  XDEV: 75,
} as const;

/** Node's error codes → WASI errno (anything else is EIO). */
const FROM_NODE: Record<string, number> = {
  EACCES: E.ACCES,
  EBADF: E.BADF,
  EEXIST: E.EXIST,
  EINVAL: E.INVAL,
  EISDIR: E.ISDIR,
  ELOOP: E.LOOP,
  ENAMETOOLONG: E.NAMETOOLONG,
  ENOENT: E.NOENT,
  ENOSPC: E.NOSPC,
  ENOTDIR: E.NOTDIR,
  ENOTEMPTY: E.NOTEMPTY,
  EPERM: E.PERM,
  EXDEV: E.XDEV,
};

/** `path` is `dir` or below it (both absolute). */
const within = (dir: string, path: string) => !relative(dir, path).startsWith("..") && !isAbsolute(relative(dir, path));

const errno = (e: unknown) => FROM_NODE[(e as NodeJS.ErrnoException).code ?? ""] ?? E.IO;

const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
const FDFLAG_APPEND = 1;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;

interface OpenFile {
  path: string;
  /** The host descriptor (files), or none (directories). */
  fd?: number;
  dir: boolean;
  pos: number;
  append: boolean;
  /** A granted directory: what fd_prestat_get names. */
  preopen?: string;
}

export class WasiFiles implements WasiFileLayer {
  private readonly grants: { dir: string; write: boolean; links?: string }[];
  private readonly fds = new Map<number, OpenFile>();
  private next = 3;

  constructor(grants: readonly Grant[]) {
    // Real paths, so a grant reached through a symbolic link contains what resolves inside it.
    this.grants = grants.map((g) => ({
      dir: realpathSync(resolve(g.dir)),
      write: !!g.write,
      ...(g.links ? { links: resolve(g.dir) } : {}),
    }));
    // "/" first, granting nothing itself: a path outside every grant then meets the same EACCES as a refused write
    // ("Permission denied"), instead of wasi-libc's "Capabilities insufficient" for a path under no preopen.
    if (this.grants.length) this.fds.set(this.next++, { path: "/", dir: true, pos: 0, append: false, preopen: "/" });
    for (const g of this.grants)
      this.fds.set(this.next++, { path: g.dir, dir: true, pos: 0, append: false, preopen: g.dir });
  }

  has(fd: number): boolean {
    return this.fds.has(fd);
  }

  /** The granted directory at `fd`: its name's length (fd_prestat_get), or BADF past the last one. */
  prestat(fd: number): { nameLength: number } | number {
    const f = this.fds.get(fd);
    return f?.preopen ? { nameLength: Buffer.byteLength(f.preopen) } : E.BADF;
  }

  prestatName(fd: number): Uint8Array | number {
    const f = this.fds.get(fd);
    return f?.preopen ? new TextEncoder().encode(f.preopen) : E.BADF;
  }

  /** The host path for `path` relative to directory `dirFd`, if the grants allow it (`write`: a writable one). */
  private allowed(dirFd: number, path: string, write: boolean): string | number {
    const base = this.fds.get(dirFd);
    if (!base?.dir) return E.BADF;
    const host = resolve(base.path, path);
    if (!write && this.grants.some((g) => g.links && (within(g.links, host) || within(g.dir, host)))) return host;
    // The real path of what exists (or of the existing parent, for a file about to be created).
    let real: string;
    try {
      real = realpathSync(host);
    } catch {
      try {
        real = join(realpathSync(dirname(host)), host.slice(dirname(host).length + 1));
      } catch (e) {
        return this.inside(host, write) ? errno(e) : E.ACCES;
      }
    }
    return this.inside(real, write) ? host : E.ACCES;
  }

  private inside(path: string, write: boolean): boolean {
    return this.grants.some((g) => (g.write || !write) && within(g.dir, path));
  }

  /** path_open: a new descriptor, or an errno. */
  open(dirFd: number, path: string, oflags: number, rights: bigint, fdflags: number): number | { fd: number } {
    const read = (rights & RIGHT_FD_READ) !== 0n;
    const write = (rights & RIGHT_FD_WRITE) !== 0n || (oflags & (OFLAGS.CREAT | OFLAGS.TRUNC)) !== 0;
    const host = this.allowed(dirFd, path, write);
    if (typeof host === "number") return host;
    let stats: Stats | undefined;
    try {
      stats = statSync(host);
    } catch (e) {
      if (!(oflags & OFLAGS.CREAT)) return errno(e);
    }
    if (stats && oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) return E.EXIST;
    if (oflags & OFLAGS.DIRECTORY && stats && !stats.isDirectory()) return E.NOTDIR;
    if (stats?.isDirectory()) {
      if (write) return E.ISDIR;
      this.fds.set(this.next, { path: host, dir: true, pos: 0, append: false });
      return { fd: this.next++ };
    }
    const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC } = constants;
    const mode = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    const extra =
      (oflags & OFLAGS.CREAT ? O_CREAT : 0) |
      (oflags & OFLAGS.EXCL ? O_EXCL : 0) |
      (oflags & OFLAGS.TRUNC ? O_TRUNC : 0);
    try {
      const fd = openSync(host, mode | extra, 0o666);
      this.fds.set(this.next, { path: host, fd, dir: false, pos: 0, append: (fdflags & FDFLAG_APPEND) !== 0 });
      return { fd: this.next++ };
    } catch (e) {
      return errno(e);
    }
  }

  /** An open regular file's entry, or the errno for read/write/seek: BADF when fd is not open, ISDIR for a directory. */
  private file(fd: number): (OpenFile & { fd: number }) | number {
    const f = this.fds.get(fd);
    if (!f) return E.BADF;
    if (f.dir || f.fd === undefined) return E.ISDIR;
    return f as OpenFile & { fd: number };
  }

  read(fd: number, into: Uint8Array): number | { n: number } {
    const f = this.file(fd);
    if (typeof f === "number") return f;
    try {
      const n = readSync(f.fd, into, 0, into.length, f.pos);
      f.pos += n;
      return { n };
    } catch (e) {
      return errno(e);
    }
  }

  write(fd: number, bytes: Uint8Array): number | { n: number } {
    const f = this.file(fd);
    if (typeof f === "number") return f;
    try {
      if (f.append) f.pos = fstatSync(f.fd).size;
      let at = 0;
      while (at < bytes.length) at += writeSync(f.fd, bytes, at, bytes.length - at, f.pos + at);
      f.pos += bytes.length;
      return { n: bytes.length };
    } catch (e) {
      return errno(e);
    }
  }

  /** fd_seek (whence 0 set, 1 current, 2 end): the new position, or an errno. */
  seek(fd: number, offset: bigint, whence: number): number | { pos: bigint } {
    const f = this.file(fd);
    if (typeof f === "number") return f;
    const base = whence === 0 ? 0 : whence === 1 ? f.pos : whence === 2 ? fstatSync(f.fd).size : NaN;
    const pos = base + Number(offset);
    if (!Number.isFinite(pos) || pos < 0) return E.INVAL;
    f.pos = pos;
    return { pos: BigInt(pos) };
  }

  close(fd: number): number {
    const f = this.fds.get(fd);
    if (!f) return E.BADF;
    if (f.preopen) return E.BADF; // granted directories stay open, as a host's preopens do
    this.fds.delete(fd);
    if (f.fd !== undefined) closeSync(f.fd);
    return E.SUCCESS;
  }

  /** fd_fdstat_get's filetype and flags for a file or directory descriptor. */
  filetype(fd: number): number {
    const f = this.fds.get(fd);
    return f?.dir ? FILETYPE.DIRECTORY : FILETYPE.REGULAR;
  }

  /** fd_filestat_get / path_filestat_get: the filestat to write, or an errno. */
  statFd(fd: number): FileStat | number {
    const f = this.fds.get(fd);
    if (!f) return E.BADF;
    try {
      return fileStat(f.fd !== undefined ? fstatSync(f.fd) : statSync(f.path));
    } catch (e) {
      return errno(e);
    }
  }

  statPath(dirFd: number, path: string): FileStat | number {
    const host = this.allowed(dirFd, path, false);
    if (typeof host === "number") return host;
    try {
      return fileStat(statSync(host));
    } catch (e) {
      return errno(e);
    }
  }

  /** path_unlink_file, path_remove_directory, path_create_directory: an errno. */
  change(dirFd: number, path: string, what: "unlink" | "rmdir" | "mkdir"): number {
    const host = this.allowed(dirFd, path, true);
    if (typeof host === "number") return host;
    // rmdir("x/.") is EINVAL on Linux (a path ending in "."), where resolve() would name x itself.
    if (what === "rmdir" && /(^|\/)\.\/*$/.test(path)) return E.INVAL;
    try {
      if (what === "unlink") unlinkSync(host);
      else if (what === "rmdir") rmdirSync(host);
      else mkdirSync(host);
      return E.SUCCESS;
    } catch (e) {
      return errno(e);
    }
  }

  rename(fromDir: number, from: string, toDir: number, to: string): number {
    const a = this.allowed(fromDir, from, true);
    if (typeof a === "number") return a;
    const b = this.allowed(toDir, to, true);
    if (typeof b === "number") return b;
    try {
      renameSync(a, b);
      return E.SUCCESS;
    } catch (e) {
      return errno(e);
    }
  }

  /** Close every host descriptor this run opened. */
  dispose(): void {
    for (const f of this.fds.values()) if (f.fd !== undefined) closeSync(f.fd);
    this.fds.clear();
  }
}

/** Node's Stats as a WASI filestat. */
function fileStat(s: Stats): FileStat {
  const filetype = s.isDirectory()
    ? FILETYPE.DIRECTORY
    : s.isFile()
      ? FILETYPE.REGULAR
      : s.isSymbolicLink()
        ? FILETYPE.SYMLINK
        : FILETYPE.UNKNOWN;
  const ns = (ms: number) => BigInt(Math.round(ms * 1e6));
  return {
    dev: BigInt(s.dev),
    ino: BigInt(s.ino),
    filetype,
    nlink: BigInt(s.nlink),
    size: BigInt(s.size),
    atim: ns(s.atimeMs),
    mtim: ns(s.mtimeMs),
    ctim: ns(s.ctimeMs),
  };
}

/** A standard-output sink writing all of each chunk to this process's descriptor `fd`. */
export function fdWriter(fd: number): (bytes: Uint8Array) => void {
  return (bytes) => {
    try {
      writeAllSync(fd, bytes);
    } catch (e) {
      // The reader went away (`| head`): the program ends there, quietly, as the CLI does for its own output.
      if ((e as NodeJS.ErrnoException).code === "EPIPE") throw new WasiExit(0);
      throw e;
    }
  };
}

/** A standard-input reader on this process's descriptor `fd`: one read, no more than asked; 0 at the end (and when
 *  nothing is ready on a non-blocking descriptor). */
export function fdReader(fd: number): (into: Uint8Array) => number {
  return (into) => {
    try {
      return readSync(fd, into, 0, into.length, null);
    } catch (e) {
      if (["EOF", "EAGAIN"].includes((e as NodeJS.ErrnoException).code ?? "")) return 0;
      throw e;
    }
  };
}
