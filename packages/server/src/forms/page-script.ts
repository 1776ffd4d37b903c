import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";

/** Where the bundled page script is served from. */
export const FORM_ASSETS_PATH = "/form-assets";

/** The bundled form-page script. */
export interface PageScript {
  /** e.g. form-page.3f9a0c1b2d4e.js; the hash changes whenever the code does. */
  readonly fileName: string;
  /** `${FORM_ASSETS_PATH}/${fileName}` */
  readonly path: string;
  readonly code: string;
}

const ENTRY = fileURLToPath(new URL("./browser/form-page.ts", import.meta.url));

/**
 * Bundles browser/form-page.ts with the schema's validation into one small script (about 8 KB
 * minified), with rolldown — the bundler inside Vite 8 — when the server first needs it. The server
 * runs from its TypeScript sources, so bundling those sources at start keeps the page's rules and
 * the server's identical without a build step or a dependency on the React client's build.
 * Lowered to ES2018 for old Android WebViews.
 */
async function bundle(): Promise<PageScript> {
  const { rolldown } = await import("rolldown");
  const build = await rolldown({ input: ENTRY, platform: "browser", transform: { target: "es2018" }, logLevel: "silent" });
  try {
    const { output } = await build.generate({ format: "iife", minify: true });
    const code = output[0].code;
    const fileName = `form-page.${createHash("sha256").update(code).digest("hex").slice(0, 12)}.js`;
    return { fileName, path: `${FORM_ASSETS_PATH}/${fileName}`, code };
  } finally {
    await build.close();
  }
}

let pending: Promise<PageScript | null> | undefined;

/**
 * The page script, bundled once per process. Null if bundling failed: the pages then work without
 * script (plain HTML forms, the browser's own required-field checks, the server's messages).
 */
export function formPageScript(logger: Logger): Promise<PageScript | null> {
  pending ??= bundle().catch((error: unknown) => {
    logger.error({ err: error }, "bundling the form page script failed; form pages are served without it");
    return null;
  });
  return pending;
}
