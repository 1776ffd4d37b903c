import { useSyncExternalStore } from "react";

/** A value that changes over time; React reads it with `useStore`. */
export interface ReadableStore<T> {
  get(): T;
  subscribe(listener: () => void): () => void;
}

/** A store its owner can write. Listeners run only when the value actually changes. */
export interface WritableStore<T> extends ReadableStore<T> {
  set(next: T): void;
  update(fn: (current: T) => T): void;
}

/** Creates a store holding `initial`. */
export function createStore<T>(initial: T): WritableStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  const set = (next: T) => {
    if (Object.is(next, value)) return;
    value = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    get: () => value,
    set,
    update: (fn) => set(fn(value)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Subscribes a component to a store. */
export function useStore<T>(store: ReadableStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}
