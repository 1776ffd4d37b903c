import type { Worker } from "node:worker_threads";

/** What a storage worker is sent to close its database and exit (`isCloseRequest`). */
export const CLOSE_REQUEST = { close: true } as const;

export function isCloseRequest(message: unknown): message is typeof CLOSE_REQUEST {
  return typeof message === "object" && message !== null && (message as { close?: unknown }).close === true;
}

/**
 * Asks a storage worker to close its SQLite connection and exit, and terminates it only if it has
 * not within `timeoutMs`. Terminated with its connection open, a worker's teardown could crash
 * the whole process (SIGSEGV, seen once in the test suite: V8 finalizes the open database's
 * handles while the thread is torn down).
 */
export async function stopStorageWorker(worker: Worker, timeoutMs = 5_000): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
  });
  try {
    worker.postMessage(CLOSE_REQUEST);
  } catch {
    // Already gone: nothing to ask.
  }
  if ((await Promise.race([exited, late])) === "late") await worker.terminate();
  clearTimeout(timer);
}
