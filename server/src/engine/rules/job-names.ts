// How messages name several jobs: `` `a` ``, `` `a` and `b` ``, `` `a`, `b`, … `e` and 2 more `` — the names verbatim,
// the joining words localised (core catalogue). Shared by the rules whose runner-side findings list affected jobs.

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
