// Suppression comments, in YAML and TOML alike:
//   # gitlab-ci-dind-disable-next-line dind/tls-disabled      (the next line only)
//   # gitlab-ci-dind-disable dind/image-unpinned              (the whole file)
// Several ids may be listed, separated by spaces or commas; no id means every rule.

import type { SourceStore } from './sources';
import type { Finding } from './types';

const DIRECTIVE = /#\s*gitlab-ci-dind-(disable-next-line|disable)\b([^\n\r]*)/g;

interface FileSuppressions {
  /** Rule ids (or '*') disabled for the whole file. */
  readonly file: ReadonlySet<string>;
  /** Line number → rule ids (or '*') disabled on that line. */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

export function parseSuppressions(text: string, lineOf: (offset: number) => number): FileSuppressions {
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  if (!text.includes('gitlab-ci-dind-disable')) return { file, lines };
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = (m[2] ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !s.startsWith('--'));
    const set = ids.length > 0 ? ids : ['*'];
    if (m[1] === 'disable') {
      for (const id of set) file.add(id);
    } else {
      const line = lineOf(m.index) + 1;
      let s = lines.get(line);
      if (!s) lines.set(line, (s = new Set()));
      for (const id of set) s.add(id);
    }
  }
  return { file, lines };
}

export function applySuppressions(findings: readonly Finding[], sources: SourceStore): Finding[] {
  const cache = new Map<string, FileSuppressions | null>();
  const lookup = (path: string): FileSuppressions | null => {
    let s = cache.get(path);
    if (s === undefined) {
      const f = sources.file(path);
      s = f ? parseSuppressions(f.text, (o) => f.lines.positionAt(o).line) : null;
      cache.set(path, s);
    }
    return s;
  };
  return findings.filter((f) => {
    const s = lookup(f.file);
    if (!s) return true;
    if (s.file.has('*') || s.file.has(f.ruleId)) return false;
    const src = sources.file(f.file);
    if (!src) return true;
    const onLine = s.lines.get(src.lines.positionAt(f.span.start).line);
    return !(onLine && (onLine.has('*') || onLine.has(f.ruleId)));
  });
}
