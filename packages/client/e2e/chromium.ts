// Debian's Chromium as the browser tests and the benchmarks (bench/lib/browser.ts) launch it.

/** Installed from Debian's packages (`.ci/run`); nothing downloads a browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless, without background traffic (the network here is closed). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];
