// The engine's `Host` for the language server: open documents first (their unsaved text and version), the disk
// second. Only this layer touches `fs`.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';

import type { TextDocument } from 'vscode-languageserver-textdocument';

import { MAX_FILE_BYTES, type DirEntry, type Host, type ReadResult } from '../engine/index';
import { normalizeWindowsPath, uriToPath } from './uri';

/** The open documents the host serves before the disk, looked up by engine path. */
export interface OpenDocuments {
  byPath(path: string): TextDocument | undefined;
}

export class LspHost implements Host {
  /**
   * The last text read from disk per path, with the file's stat when it was read. Every analysis reads every file of
   * the workspace; a file whose stat is unchanged gives the string read before instead of a new one (a large file's
   * text goes straight to V8's old space, and each edit would otherwise leave a copy there).
   */
  private readonly disk = new Map<string, { readonly stamp: string; readonly result: ReadResult }>();

  constructor(
    private readonly open: OpenDocuments,
    /** The clock (ms) and the file reader; tests replace them. */
    private readonly io: { readonly now: () => number; readonly read: (path: string) => ReadResult } = {
      now: Date.now,
      read: readDiskFile,
    },
  ) {}

  readFile(path: string): ReadResult {
    const doc = this.open.byPath(path);
    if (doc) return { kind: 'ok', text: doc.getText(), version: doc.version };
    const stat = statOf(path);
    const kept = stat && this.disk.get(path);
    if (kept && kept.stamp === stat.stamp) return kept.result;
    const result = this.io.read(path);
    // As git's "racily clean" index entries: a file changed within RACY_MS of the read may change again without a new
    // stamp (file times tick coarsely), so its text is read again next time. The change time cannot be set back.
    if (stat && result.kind === 'ok' && stat.changedMs < this.io.now() - RACY_MS)
      this.disk.set(path, { stamp: stat.stamp, result });
    else this.disk.delete(path);
    return result;
  }

  /** Forgets the texts read from disk (call when the client reports changed files). */
  forgetDisk(): void {
    this.disk.clear();
  }

  readDirectory(path: string): readonly DirEntry[] | undefined {
    try {
      return readdirSync(path, { withFileTypes: true })
        .filter((e) => e.isFile() || e.isDirectory())
        .map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch {
      return undefined;
    }
  }
}

/** How long after its last change a file's stat is not trusted to show the next one (FAT keeps 2 s). */
const RACY_MS = 2000;

/**
 * What identifies a version of a regular file on disk: device, inode, size, modification and change times (to the
 * nanosecond where the file system keeps them). Undefined when the path is not a readable regular file.
 */
function statOf(path: string): { readonly stamp: string; readonly changedMs: number } | undefined {
  try {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (!s?.isFile()) return undefined;
    return { stamp: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, changedMs: Number(s.ctimeMs) };
  } catch {
    return undefined;
  }
}

/** Reads a UTF-8 file from disk; a byte-order mark is dropped, as editors do. Never throws. */
export function readDiskFile(path: string): ReadResult {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { kind: 'missing' };
    if (stat.size > MAX_FILE_BYTES) {
      return { kind: 'error', message: `the file is larger than ${MAX_FILE_BYTES} bytes (${stat.size} bytes)` };
    }
    const text = readFileSync(path, 'utf8');
    return { kind: 'ok', text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

/** Maps open documents by engine path (documents with non-`file:` URIs are not on any path). */
export class DocumentIndex implements OpenDocuments {
  private uris: Map<string, string> | undefined;

  constructor(
    private readonly all: () => readonly TextDocument[],
    private readonly get: (uri: string) => TextDocument | undefined,
  ) {}

  byPath(path: string): TextDocument | undefined {
    const uri = this.index().get(path);
    return uri === undefined ? undefined : this.get(uri);
  }

  /** Open documents with their engine paths. */
  entries(): IterableIterator<[string, string]> {
    return this.index().entries();
  }

  /** Call when a document opens or closes. */
  invalidate(): void {
    this.uris = undefined;
  }

  private index(): Map<string, string> {
    if (!this.uris) {
      this.uris = new Map();
      for (const d of this.all()) {
        const p = uriToPath(d.uri);
        if (p !== undefined) this.uris.set(p, d.uri);
      }
    }
    return this.uris;
  }
}

/** `rel` resolved against the engine path `base` (absolute `rel` kept), normalized, `/`-separated. */
export function resolvePath(base: string, rel: string): string {
  const r = normalizeWindowsPath(rel);
  const absolute = r.startsWith('/') || /^[a-z]:\//i.test(r);
  return posix.normalize(absolute ? r : `${base}/${r}`).replace(/(.)\/$/, '$1');
}
