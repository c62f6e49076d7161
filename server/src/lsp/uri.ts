// Document URIs ↔ the engine's absolute `/`-separated paths. Node's URL helpers do the decoding (percent-encoding,
// Windows drive letters, UNC hosts); this module only normalizes separators and the drive letter's case.

import { fileURLToPath, pathToFileURL } from 'node:url';

const IS_WINDOWS = process.platform === 'win32';

/** The engine path of a `file:` URI, or undefined for other schemes (`untitled:`, virtual file systems). */
export function uriToPath(uri: string, windows = IS_WINDOWS): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'file:') return undefined;
  try {
    const p = fileURLToPath(url, { windows });
    return windows ? normalizeWindowsPath(p) : p;
  } catch {
    return undefined;
  }
}

/** A `file:` URI for an engine path. */
export function pathToUri(path: string, windows = IS_WINDOWS): string {
  return pathToFileURL(windows ? path.replaceAll('/', '\\') : path, { windows }).href;
}

/** `C:\a\b` → `c:/a/b`: forward slashes, lower-case drive letter (VS Code's own URIs use lower case). */
export function normalizeWindowsPath(p: string): string {
  const slashed = p.replaceAll('\\', '/');
  return /^[A-Za-z]:/.test(slashed) ? slashed.charAt(0).toLowerCase() + slashed.slice(1) : slashed;
}

/** Whether `path` is `dir` itself or inside it (both engine paths). */
export function isInside(path: string, dir: string): boolean {
  const base = dir.endsWith('/') ? dir : `${dir}/`;
  return path === dir || path.startsWith(base);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return '/';
  const d = path.slice(0, i);
  return /^[a-z]:$/i.test(d) ? `${d}/` : d;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
