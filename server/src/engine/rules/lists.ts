// Lists in messages, the items verbatim and the joining words localised (core catalogue): job names for runner-side
// findings (`` `a` ``, `` `a` and `b` ``, `` `a`, `b`, … `e` and 2 more ``) and plain `a and b and c` lists.

import type { EffectiveJob } from '../ci/model';
import { msg, type MsgParam } from '../i18n';

/** Quoted, de-duplicated job names; at most `max` are spelt out, the rest counted. */
export function jobNames(jobs: readonly EffectiveJob[], max = 5): MsgParam {
  const names = [...new Set(jobs.map((j) => `\`${j.name}\``))];
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > max) {
    return msg('core.names-more', { names: names.slice(0, max).join(', '), count: names.length - max });
  }
  return msg('core.names-many', { names: names.slice(0, -1).join(', '), last: names[names.length - 1] ?? '' });
}

/** `a`, `a and b`, `a and b and c`: items (text or messages) joined by the localised `and`. */
export function andList(items: readonly MsgParam[]): MsgParam {
  const [first, ...rest] = items;
  if (first === undefined) return '';
  return rest.length === 0 ? first : msg('core.and', { first, rest: andList(rest) });
}
