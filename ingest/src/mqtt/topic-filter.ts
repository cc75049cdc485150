/** Whether an MQTT topic matches a filter with `+` (one level) and `#` (the rest) wildcards. */
export function topicMatches(filter: string, topic: string): boolean {
  const want = filter.split('/');
  const got = topic.split('/');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '#') return true;
    if (i >= got.length || (want[i] !== '+' && want[i] !== got[i])) return false;
  }
  return want.length === got.length;
}

/** Whether every topic `inner` matches is also matched by `outer` (a subscription inside an ACL). */
export function filterWithin(outer: string, inner: string): boolean {
  const o = outer.split('/');
  const i = inner.split('/');
  for (let k = 0; k < o.length; k++) {
    if (o[k] === '#') return true;
    if (k >= i.length || i[k] === '#') return false;
    if (o[k] !== '+' && (i[k] === '+' || o[k] !== i[k])) return false;
  }
  return o.length === i.length;
}
