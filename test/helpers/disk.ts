// The disk for tests that read the shared corpus: listing its files, and an engine Host over it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { DirEntry, Host, ReadResult } from '@engine';

/** The files under `dir` whose name matches `pattern`, depth first in name order, with `/` separators. */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, pattern));
    else if (pattern.test(name)) out.push(full.replaceAll('\\', '/'));
  }
  return out;
}

/** The disk as an engine `Host`; `overlay` (path → text) is served first, for files that exist only in the test. */
export function diskHost(overlay: Readonly<Record<string, string>> = {}): Host {
  return {
    readFile(path: string): ReadResult {
      const text = overlay[path];
      if (text !== undefined) return { kind: 'ok', text };
      try {
        return { kind: 'ok', text: readFileSync(path, 'utf8') };
      } catch {
        return { kind: 'missing' };
      }
    },
    readDirectory(path: string): DirEntry[] | undefined {
      try {
        return readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
      } catch {
        return undefined;
      }
    },
  };
}
