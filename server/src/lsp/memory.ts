// The server's heap policy. The language server is a long-lived process that keeps a model of the whole workspace
// and is idle between edits, so a small resident size matters more to it than the last percent of GC throughput
// (measurements in BENCHMARKS.md, "Memory"):
// - V8 lets the old generation grow to up to 4x what survived the last full collection before collecting again;
//   every analysis leaves the previous model as garbage there, so the heap ends far above what is live.
//   `--heap-growing-percent=50` makes that 1.5x.
// - V8 moves allocation sites whose objects mostly survive (an analysis builds a model that lives until the next
//   one) to allocate straight in the old generation; objects from those sites that die young then stay until the
//   next full collection. `--no-allocation-site-pretenuring` keeps every object in the young generation first.
// Both are read by V8 when it decides, so the server sets them on itself before it allocates anything else. A flag
// given on the command line (`node --heap-growing-percent=80 server.js --stdio`) wins.

import { setFlagsFromString } from 'node:v8';

export const HEAP_FLAGS: readonly string[] = ['--heap-growing-percent=50', '--no-allocation-site-pretenuring'];

/** A V8 flag's name without `--`, `no-` and value, with `_` as `-` (V8 accepts both spellings). */
function flagName(flag: string): string {
  return (flag.replace(/^--(no-?)?/, '').split('=')[0] ?? '').replace(/_/g, '-');
}

/** The flags of `HEAP_FLAGS` that `execArgv` (the node command line) does not set itself. */
export function heapFlags(execArgv: readonly string[]): string[] {
  const given = new Set(execArgv.filter((a) => a.startsWith('--')).map(flagName));
  return HEAP_FLAGS.filter((f) => !given.has(flagName(f)));
}

/** Sets the heap policy on this process (call first thing at start-up). */
export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): void {
  for (const flag of heapFlags(execArgv)) setFlagsFromString(flag);
}
