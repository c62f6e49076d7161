// Memoisation of pure functions of immutable model objects (runners, TOML tables, variable maps): the ~30 rules of
// an analysis ask the same runner and job terms again and again; these compute each once per object. Entries are
// held weakly, so they go with the objects.

/** `compute` memoised per key object. `compute` must be pure and its result must not be mutated by callers. */
export function memoByObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, { value: V }>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = { value: compute(key) }));
    return hit.value;
  };
}

/** `compute` memoised per pair of key objects (the second may be null or undefined, which share one entry). */
export function memoByPair<A extends object, B extends object, V>(
  compute: (a: A, b: B | null | undefined) => V,
): (a: A, b: B | null | undefined) => V {
  const cache = new WeakMap<A, { none?: { value: V }; byB: WeakMap<B, { value: V }> }>();
  return (a, b) => {
    let row = cache.get(a);
    if (!row) cache.set(a, (row = { byB: new WeakMap() }));
    if (b === null || b === undefined) return (row.none ??= { value: compute(a, b) }).value;
    let hit = row.byB.get(b);
    if (!hit) row.byB.set(b, (hit = { value: compute(a, b) }));
    return hit.value;
  };
}
