import type { DirEntry, Host, ReadResult } from '@engine';

/** An in-memory workspace: absolute `/`-separated paths → text. Directories are implied by the paths. */
export class MemoryHost implements Host {
  readonly files = new Map<string, string>();
  readonly reads: string[] = [];

  constructor(
    files: Record<string, string> = {},
    readonly root = '/ws',
  ) {
    for (const [p, t] of Object.entries(files)) this.set(p, t);
  }

  /** Paths not starting with `/` are relative to the root. */
  abs(p: string): string {
    return p.startsWith('/') ? p : `${this.root}/${p}`;
  }

  set(p: string, text: string): this {
    this.files.set(this.abs(p), text);
    return this;
  }

  readFile(path: string): ReadResult {
    this.reads.push(path);
    const t = this.files.get(path);
    return t === undefined ? { kind: 'missing' } : { kind: 'ok', text: t };
  }

  readDirectory(path: string): DirEntry[] | undefined {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Map<string, boolean>();
    for (const f of this.files.keys()) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) names.set(rest, false);
      else names.set(rest.slice(0, slash), true);
    }
    if (names.size === 0) return undefined;
    return [...names].map(([name, isDirectory]) => ({ name, isDirectory }));
  }
}
