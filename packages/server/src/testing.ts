import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HuzhuServer, type HuzhuServerOptions, startServer } from "./create-server.ts";

/** Options of `startTestServer`: everything optional; `dataDir` reuses a directory (restart tests). */
export type TestServerOptions = Partial<HuzhuServerOptions>;

/**
 * A real server for tests: a fresh temporary DATA_DIR unless one is given (start again on the same
 * directory to test a restart), a random port on 127.0.0.1, no logs.
 */
export function startTestServer(options: TestServerOptions = {}): Promise<HuzhuServer> {
  return startServer({
    quiet: true,
    ...options,
    dataDir: options.dataDir ?? mkdtempSync(join(tmpdir(), "huzhu-test-")),
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
  });
}
