/**
 * When each step of starting happened in this context, in milliseconds
 * since the epoch (so that a page's and its worker's compare): the first
 * time each was reached. Diagnostics for scripts/bench.sh, in
 * client._stats().timeline; not part of the API.
 */
export const timeline = {};

/** Notes that step name was reached now (the first time only). */
export function mark(name) {
  if (!(name in timeline)) timeline[name] = performance.timeOrigin + performance.now();
}
