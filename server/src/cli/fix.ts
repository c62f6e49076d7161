// `--fix`: apply the safe fixes in place, re-analyze, and repeat until none is left (at most MAX_ROUNDS rounds).
// Edits are applied by offset to the text the analysis read, so every other byte of a file (CRLF line breaks, a
// byte order mark, comments) stays as it was. A file whose text changed on disk since it was read is not written.

import { writeFileSync } from 'node:fs';

import { applyEdits, planFixes, safeFixes, type Analysis, type Fix } from '../engine/index';
import { DiskHost, encodeText, readTextFile } from './disk-host';
import { InputError } from './targets';

export const MAX_ROUNDS = 10;

export interface FixOutcome {
  /** Fixes applied, by file (a fix that edits two files counts in both). */
  readonly perFile: ReadonlyMap<string, number>;
  readonly total: number;
  /** Files left alone because they changed on disk while being checked. */
  readonly changedOnDisk: readonly string[];
}

/** Runs the fix rounds; `analyzeAll` analyzes every target through the given host. */
export function fixInPlace(analyzeAll: (host: DiskHost) => readonly Analysis[]): FixOutcome {
  const perFile = new Map<string, number>();
  const changedOnDisk = new Set<string>();
  let total = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const host = new DiskHost();
    const analyses = analyzeAll(host);
    const textOf = (file: string): string | undefined => {
      if (changedOnDisk.has(file)) return undefined;
      const r = host.readFile(file);
      return r.kind === 'ok' ? r.text : undefined;
    };
    let fixes: Fix[] = analyses.flatMap((a) => safeFixes(a.findings));
    let plan = planFixes(fixes, textOf);
    const stale = [...plan.edits.keys()].filter((file) => diskText(file) !== textOf(file));
    if (stale.length > 0) {
      for (const file of stale) changedOnDisk.add(file);
      fixes = plan.applied.filter((fix) => fix.edits.every((e) => !changedOnDisk.has(e.file)));
      plan = planFixes(fixes, textOf);
    }
    let wrote = false;
    for (const [file, edits] of plan.edits) {
      const before = textOf(file) ?? '';
      const after = applyEdits(before, edits);
      if (after === before) continue;
      try {
        writeFileSync(file, encodeText(after, host.hadBom(file)), 'utf8');
      } catch (e) {
        throw new InputError(`cannot write "${file}": ${e instanceof Error ? e.message : String(e)}`);
      }
      wrote = true;
    }
    if (!wrote) break;
    for (const fix of plan.applied) {
      total++;
      for (const file of new Set(fix.edits.map((e) => e.file))) perFile.set(file, (perFile.get(file) ?? 0) + 1);
    }
  }
  return { perFile, total, changedOnDisk: [...changedOnDisk] };
}

function diskText(file: string): string | undefined {
  const r = readTextFile(file);
  return r.kind === 'ok' ? r.text : undefined;
}
