/** Rows grouped by a numeric key (a participant, a recipient), each group in the rows' order. */
export function groupBy<T>(rows: readonly T[], key: (x: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
