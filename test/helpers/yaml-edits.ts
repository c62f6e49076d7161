// Random edits of YAML pipeline texts (fast-check), and generated pipelines to edit (the corpus: `filesUnder`).

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import fc from 'fast-check';

import { REPO_ROOT } from './paths';

type Workload = (jobs: number, files: number, style: string) => Record<string, string>;

/** Generated pipeline files of every style (bench workloads), small. */
export async function workloads(): Promise<string[]> {
  const url = pathToFileURL(resolve(REPO_ROOT, 'scripts/bench/workload.mjs')).href;
  const { pipelineWorkload } = (await import(url)) as { pipelineWorkload: Workload };
  const texts: string[] = [];
  for (const style of ['plain', 'anchors', 'extends']) {
    texts.push(...Object.values(pipelineWorkload(12, 2, style)), ...Object.values(pipelineWorkload(8, 0, style)));
  }
  return texts;
}

/** Text an edit inserts: YAML syntax of every kind, including what breaks a block apart. */
export const SNIPPETS = [
  'x',
  'abc',
  '1',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\n  ',
  '\n    ',
  ': ',
  '- ',
  '# note',
  '\n# comment\n',
  '"',
  "'",
  '"quoted value"',
  '|\n    line one\n    line two',
  '>-\n    folded',
  '&anchor ',
  '*anchor',
  '<<: *anchor',
  '\n  <<: *dind-0',
  '[',
  ']',
  '{',
  '}',
  '[a, b]',
  '{ a: 1 }',
  '\t',
  '\r\n',
  '\r',
  '---\n',
  '...\n',
  '%YAML 1.2\n---\n',
  'spec:\n  inputs:\n    x:\n      default: 1\n---\n',
  '\nnew-key: 1\n',
  '\n  variables:\n    A: "1"',
  '\n  - item',
  '!reference [.dind-0, services]',
  '!custom ',
  '? ',
  '$[[ inputs.x ]]',
  '\uFEFF',
  '\u2028',
  '😀',
  'services:',
  '.hidden:\n  services: [docker:dind]\n',
];

type Where = 'anywhere' | 'line-start' | 'line-end' | 'value' | 'top-key' | 'indented-line';

export interface Edit {
  readonly where: Where;
  readonly pick: number;
  readonly remove: number;
  readonly insert: string;
}

export const editArb: fc.Arbitrary<Edit> = fc.record({
  where: fc.constantFrom<Where>('anywhere', 'line-start', 'line-end', 'value', 'value', 'top-key', 'indented-line'),
  pick: fc.nat(),
  remove: fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 40 })),
  insert: fc.oneof(
    fc.constantFrom(...SNIPPETS),
    fc.constantFrom('a', 'bc', 'v2', '0'),
    fc.constant(''),
    fc.string({ maxLength: 4 }),
  ),
});

/** Offsets of one kind in `text`. */
function candidates(text: string, where: Where): number[] {
  const out: number[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  switch (where) {
    case 'anywhere':
      return [];
    case 'line-start':
      return lineStarts;
    case 'line-end':
      return lineStarts.map((s) => (s > 0 ? s - 1 : 0));
    case 'top-key':
      return lineStarts.filter((s) => /[^\s#]/.test(text[s] ?? ''));
    case 'indented-line':
      return lineStarts.filter((s) => text[s] === ' ').map((s) => s + (text.slice(s).search(/\S/) ?? 0));
    case 'value':
      for (let i = text.indexOf(': '); i >= 0; i = text.indexOf(': ', i + 1)) out.push(i + 2);
      return out;
  }
}

/** `text` with `edit` applied. */
export function apply(text: string, edit: Edit): string {
  const spots = candidates(text, edit.where);
  const at = spots.length > 0 ? (spots[edit.pick % spots.length] ?? 0) : edit.pick % (text.length + 1);
  return text.slice(0, at) + edit.insert + text.slice(Math.min(text.length, at + edit.remove));
}
