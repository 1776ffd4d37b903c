import { type ChildProcess, fork } from "node:child_process";
import { RESOLVE_PRELOAD } from "./resolve.ts";

/**
 * Request/response over a forked child's IPC channel. Every request carries an id and a deadline,
 * so a stuck child fails the benchmark instead of hanging it.
 */
interface Envelope {
  readonly id: number;
  readonly request: unknown;
}
interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

function isReply(value: unknown): value is Reply {
  return typeof value === "object" && value !== null && "id" in value && "ok" in value;
}

/** The parent's end of a child process that answers requests. */
export class ChildChannel {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;
  readonly child: ChildProcess;
  readonly label: string;

  private constructor(child: ChildProcess, label: string) {
    this.child = child;
    this.label = label;
    child.on("message", (message: unknown) => {
      if (!isReply(message)) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${label}: ${message.error}`));
    });
    child.on("exit", (code, signal) => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${label} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Forks a bench child script (TypeScript, with the workspace resolution preloaded). */
  static fork(script: URL, label: string, extraExecArgv: readonly string[] = []): ChildChannel {
    const child = fork(script, [], {
      execArgv: ["--import", RESOLVE_PRELOAD, ...extraExecArgv],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new ChildChannel(child, label);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} has no pid`);
    return this.child.pid;
  }

  request<T>(request: unknown, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.label} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, request } satisfies Envelope);
    });
  }

  /** Asks nicely with `request`, then kills the child if it is still alive after `graceMs`. */
  async stop(request: unknown, graceMs: number): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.request(request, graceMs).catch(() => {});
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** The child's end: answers each request with `handle`; errors go back as messages. */
export function serveRequests(handle: (request: unknown) => Promise<unknown>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error("This script runs as a forked bench child");
  process.on("message", (message: unknown) => {
    if (typeof message !== "object" || message === null || !("id" in message)) return;
    const { id, request } = message as Envelope;
    handle(request).then(
      (result) => send({ id, ok: true, result } satisfies Reply),
      (error: unknown) => send({ id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies Reply),
    );
  });
  // The parent going away must not leave load generators or servers running.
  process.on("disconnect", () => process.exit(0));
}
