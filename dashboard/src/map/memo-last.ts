/**
 * The last result of `fn`, again while its arguments are the same (by identity). Layers are built
 * anew at every render, and deck.gl compares their `data` by reference: data derived afresh each
 * time would have labels re-rasterised and polygons re-tessellated at every reading.
 */
export function memoLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | undefined;
  let last: R;
  return (...args: A) => {
    if (lastArgs && args.length === lastArgs.length && args.every((a, i) => a === lastArgs?.[i])) return last;
    last = fn(...args);
    lastArgs = args;
    return last;
  };
}
