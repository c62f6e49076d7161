// Go `doublestar` matching, as GitLab Runner applies it to `allowed_images`, `allowed_services`,
// `allowed_privileged_services` and `allowed_privileged_images` (R1, R10): `*` and `?` never cross `/`, `**` does,
// `[...]` classes and `{a,b}` alternatives work, and there is no extglob, negation or special treatment of dots.

import picomatch from 'picomatch/posix';

const OPTIONS: picomatch.PicomatchOptions = {
  // doublestar has no notion of hidden files: `*` matches a leading dot.
  dot: true,
  // `+(a)`, `@(a)`, `!(a)` are literal text for doublestar.
  noextglob: true,
  // A leading `!` is literal for doublestar, not a negation.
  nonegate: true,
};

const cache = new Map<string, picomatch.Matcher | null>();

function compile(pattern: string): picomatch.Matcher | null {
  let m = cache.get(pattern);
  if (m === undefined) {
    try {
      m = picomatch(pattern, OPTIONS);
    } catch {
      // doublestar reports ErrBadPattern and the runner treats the name as not allowed.
      m = null;
    }
    cache.set(pattern, m);
  }
  return m;
}

/** True when `name` matches the doublestar `pattern`. A malformed pattern matches nothing. */
export function doublestarMatch(pattern: string, name: string): boolean {
  // picomatch drops a leading `./` from pattern and input; doublestar compares the text as written.
  if (pattern.startsWith('./') !== name.startsWith('./')) return false;
  return compile(pattern)?.(name) ?? false;
}

/** The first pattern of `patterns` that matches `name`, or null when none does. */
export function firstMatch(patterns: readonly string[], name: string): { pattern: string; index: number } | null {
  for (let index = 0; index < patterns.length; index++) {
    const pattern = patterns[index];
    if (pattern !== undefined && doublestarMatch(pattern, name)) return { pattern, index };
  }
  return null;
}
