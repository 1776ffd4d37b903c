import { setPriority } from "node:os";
import type { Worker } from "node:worker_threads";

/** Niceness of storage threads: below the event loop, which starts at 0. */
const STORAGE_THREAD_NICENESS = 10;

/**
 * Called first thing in a storage worker: the thread yields the CPU to the event loop. On Linux,
 * waking a thread of equal priority (each commit of the writer thread, each answer to it) often
 * preempts the thread that woke it: in a profile of 300 editors, `postMessage` to the writer was
 * 4.2 % of the event loop, waiting for the CPU it had just handed over; at niceness 10 it was
 * 1.7 %. A commit is mostly waiting for the disk, and a compaction may take longer without anyone
 * waiting on it. Only Linux sets one thread's priority this way (elsewhere it would be the
 * whole process's), so elsewhere nothing changes.
 */
export function yieldToEventLoop(): void {
  if (process.platform !== "linux") return;
  try {
    setPriority(STORAGE_THREAD_NICENESS);
  } catch {
    // A sandbox may refuse; the thread then runs as before.
  }
}

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
