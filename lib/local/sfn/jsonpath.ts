// The small JSONPath subset the local Step Functions evaluates itself (TimeoutSecondsPath, HeartbeatSecondsPath and
// the Wait state's SecondsPath / TimestampPath): `$`, `$.a.b`, `$['a']`, `$.a[0]`, and `$$.…` on the context object.
export function queryPath(path: string, input: unknown, context?: unknown): unknown {
  let root: unknown = input;
  let rest = path;
  if (path.startsWith('$$')) {
    root = context;
    rest = path.slice(2);
  } else if (path.startsWith('$')) rest = path.slice(1);
  else throw new Error(`not a JSONPath: ${path}`);
  const tokens = [...rest.matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g)];
  let cur: unknown = root;
  for (const t of tokens) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = t[1] ?? t[3] ?? t[4];
    cur = key !== undefined ? (cur as Record<string, unknown>)[key] : (cur as unknown[])[Number(t[2])];
  }
  return cur;
}
