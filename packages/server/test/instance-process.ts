import { startServer } from "../src/index.ts";

// One Huzhu server instance as its own process, for tests that kill instances with SIGKILL.
// Configured by the environment (HUZHU_TEST_* below); prints one JSON line {"port": n} on stdout
// once it listens; SIGTERM closes it gracefully.

const env = process.env;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  dataDir: required("HUZHU_TEST_DATA_DIR"),
  adminToken: required("HUZHU_TEST_ADMIN_TOKEN"),
  databaseUrl: env["HUZHU_TEST_DATABASE_URL"],
  redisUrl: env["HUZHU_TEST_REDIS_URL"],
  redisPrefix: env["HUZHU_TEST_REDIS_PREFIX"],
  compactAfterUpdates: env["HUZHU_TEST_COMPACT_AFTER"] ? Number(env["HUZHU_TEST_COMPACT_AFTER"]) : undefined,
  quiet: true,
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
