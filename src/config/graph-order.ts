/**
 * Generic dependency-graph algorithms over string ids: a stable topological order (Kahn's, ties
 * broken by insertion order so plans print the same way every time) and, when there is a cycle,
 * the cycle itself as a path a person can read. Pure.
 */
export type OrderResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

export function topologicalOrder(ids: readonly string[], depsOf: (id: string) => readonly string[]): OrderResult {
  const known = new Set(ids);
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    for (const dep of depsOf(id)) {
      if (!known.has(dep)) continue;
      indegree.set(id, (indegree.get(id) ?? 0) + 1);
      dependents.get(dep)!.push(id);
    }
  }
  const position = new Map(ids.map((id, i) => [id, i]));
  // Ready ids by position (a binary min-heap): the earliest-given ready id goes next, in O(n log n).
  const ready = new MinHeap();
  ids.forEach((id, i) => {
    if (indegree.get(id) === 0) ready.push(i);
  });
  const order: string[] = [];
  while (ready.size > 0) {
    const id = ids[ready.pop()]!;
    order.push(id);
    for (const next of dependents.get(id)!) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(position.get(next)!);
    }
  }
  if (order.length === ids.length) return { ok: true, order };
  const done = new Set(order);
  return { ok: false, cycle: findCycle(ids.filter((id) => !done.has(id)), depsOf, known) };
}

/** A cycle among `candidates`, as `[a, b, …, a]`. */
function findCycle(candidates: readonly string[], depsOf: (id: string) => readonly string[], known: Set<string>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of depsOf(id)) {
      if (!known.has(dep)) continue;
      if (state.get(dep) === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
      if (!state.has(dep)) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of candidates) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return [];
}

/** Every id reachable from `roots` through `depsOf`, roots included. */
export function closure(roots: Iterable<string>, depsOf: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const dep of depsOf(id)) walk(dep);
  };
  for (const r of roots) walk(r);
  return seen;
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
