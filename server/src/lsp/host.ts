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
  constructor(private readonly open: OpenDocuments) {}

  readFile(path: string): ReadResult {
    const doc = this.open.byPath(path);
    if (doc) return { kind: 'ok', text: doc.getText(), version: doc.version };
    return readDiskFile(path);
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
