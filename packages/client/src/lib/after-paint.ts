/**
 * Calls `fn` once the browser has painted what is laid out now: the next frame runs before that
 * paint, the task queued from it after.
 */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
