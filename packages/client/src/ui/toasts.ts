import { createStore } from "../lib/store.ts";

/** A short message at the bottom of the screen: an error the user must see, or a notice. */
export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: "error" | "info";
}

/** The messages on screen now. */
export const toasts = createStore<readonly Toast[]>([]);
let nextId = 1;

/** Shows a message for a few seconds (errors stay longer: they explain why an edit did not stick). */
export function showToast(text: string, tone: Toast["tone"] = "info"): void {
  const id = nextId++;
  toasts.update((list) => [...list.filter((t) => t.text !== text), { id, text, tone }].slice(-3));
  setTimeout(() => dismissToast(id), tone === "error" ? 6000 : 3500);
}

export function dismissToast(id: number): void {
  toasts.update((list) => list.filter((t) => t.id !== id));
}
