import { registerHooks } from "node:module";

/**
 * The packages the bench borrows from the workspace. bench/ is not a workspace package, so Node
 * finds none of them from here; when a plain resolution fails, resolve the specifier as if it were
 * imported from packages/server, which depends on all of them (and can import itself by name).
 * Once the root package.json lists these as devDependencies, the fallback simply never runs.
 */
const BORROWED = new Set(["yjs", "ws", "lib0", "@hocuspocus/server", "@huzhu/schema", "@huzhu/server", "playwright-core", "rolldown"]);
const SERVER_PACKAGE = new URL("../../packages/server/package.json", import.meta.url).href;

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier);
}

let registered = false;

/** Installs the fallback resolution; entry points call this before importing anything borrowed. */
export function registerWorkspaceResolution(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (!BORROWED.has(packageName(specifier))) throw error;
        return nextResolve(specifier, { ...context, parentURL: SERVER_PACKAGE });
      }
    },
  });
}

/** The same hook as a preload (`node --import`) for the bench's child processes. */
export const RESOLVE_PRELOAD = new URL("./resolve-preload.ts", import.meta.url).href;
