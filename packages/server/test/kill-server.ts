import { startServer } from "../src/index.ts";

// A Huzhu server as its own process for the SIGKILL test: fixed DATA_DIR and PORT from the
// environment (HUZHU_KILL_DATA_DIR, HUZHU_KILL_PORT, HUZHU_KILL_ADMIN_TOKEN), request-form limits
// opened up for one test client, "listening" on stdout once it serves.

const unlimited = { capacity: 1_000_000, refillPerMinute: 1_000_000 };
const server = await startServer({
  port: Number(process.env["HUZHU_KILL_PORT"]),
  host: "127.0.0.1",
  dataDir: process.env["HUZHU_KILL_DATA_DIR"] as string,
  adminToken: process.env["HUZHU_KILL_ADMIN_TOKEN"],
  quiet: true,
  compactAfterUpdates: 50,
  forms: {
    minFillMs: 0,
    limits: {
      requestsPerAddress: unlimited,
      submissionsPerAddress: unlimited,
      submissionsPerLink: unlimited,
      writesPerManageLink: unlimited,
    },
  },
});
process.stdout.write("listening\n");
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
