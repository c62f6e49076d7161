// The CLI's view of the disk for the engine. Paths are absolute with `/` separators on every platform. A file
// that is not UTF-8 text (NUL bytes, invalid UTF-8, UTF-16) or is too large reads as an `error` with the reason,
// so the engine reports it instead of parsing garbage.

import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

import { MAX_FILE_BYTES, type DirEntry, type Host, type ReadResult } from '../engine/index';

const UTF8_BOM = '\uFEFF';

/** A text file read from disk: the text without a UTF-8 byte order mark, and whether the file had one. */
export type DiskRead = ReadResult | { readonly kind: 'ok'; readonly text: string; readonly bom: boolean };

/** `p` (relative to `cwd`, or absolute) as an absolute engine path with `/` separators. */
export function toEnginePath(p: string, cwd?: string): string {
  const abs = cwd === undefined ? resolve(p) : resolve(cwd, p);
  return sep === '/' ? abs : abs.split(sep).join('/');
}

/** An engine path as shown to users: relative to `cwd`, with `/` separators. */
export function displayPath(enginePath: string, cwd: string): string {
  const rel = relative(cwd, enginePath);
  const shown = rel === '' ? '.' : rel;
  const slashed = sep === '/' ? shown : shown.split(sep).join('/');
  return isAbsolute(rel) ? toEnginePath(rel) : slashed;
}

/** Reads one file as UTF-8 text; never throws. */
export function readTextFile(path: string): DiskRead {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { kind: 'error', message: 'is a directory, not a file' };
    if (stat.size > MAX_FILE_BYTES) {
      return { kind: 'error', message: `too large (${stat.size} bytes; the limit is ${MAX_FILE_BYTES} bytes)` };
    }
    return decode(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

function decode(bytes: Buffer): DiskRead {
  if (bytes.length > MAX_FILE_BYTES) {
    return { kind: 'error', message: `too large (${bytes.length} bytes; the limit is ${MAX_FILE_BYTES} bytes)` };
  }
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return { kind: 'error', message: 'UTF-16 encoded text; save the file as UTF-8' };
  }
  if (bytes.includes(0)) return { kind: 'error', message: 'binary file (contains NUL bytes), not text' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { kind: 'error', message: 'not valid UTF-8 text' };
  }
  const bom = text.startsWith(UTF8_BOM);
  return { kind: 'ok', text: bom ? text.slice(1) : text, bom };
}

/** Bytes to write for `text` so that a file keeps its byte order mark. */
export function encodeText(text: string, bom: boolean): string {
  return bom ? UTF8_BOM + text : text;
}

/**
 * A disk host that reads each file once: every analysis through one instance sees the same text, so fixes computed
 * from it can be checked against the disk before they are written.
 */
export class DiskHost implements Host {
  private readonly reads = new Map<string, DiskRead>();

  readFile(path: string): ReadResult {
    let r = this.reads.get(path);
    if (r === undefined) {
      r = readTextFile(path);
      this.reads.set(path, r);
    }
    return r;
  }

  /** Whether the file had a UTF-8 byte order mark when this host read it (the engine sees text without it). */
  hadBom(path: string): boolean {
    const r = this.reads.get(path);
    return r !== undefined && r.kind === 'ok' && 'bom' in r && r.bom;
  }

  /** Entries of a directory; symbolic links to directories are not followed (no cycles). Never throws. */
  readDirectory(path: string): readonly DirEntry[] | undefined {
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const out: DirEntry[] = [];
    for (const e of entries) {
      if (e.isDirectory()) out.push({ name: e.name, isDirectory: true });
      else if (e.isFile()) out.push({ name: e.name, isDirectory: false });
      else if (e.isSymbolicLink() && isFileTarget(`${path}/${e.name}`)) out.push({ name: e.name, isDirectory: false });
    }
    return out;
  }
}

function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
