import { defineConfig } from "vitest/config";

// One run for the whole workspace. Browser tests (packages/client/e2e) drive Debian's Chromium and
// start real servers, so they get longer timeouts and run one file at a time.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "schema", include: ["packages/schema/src/**/*.test.ts"] } },
      {
        test: {
          name: "server",
          include: ["packages/server/src/**/*.test.ts", "packages/server/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: "client", include: ["packages/client/src/**/*.test.ts"] } },
      {
        test: {
          name: "e2e",
          include: ["packages/client/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
