import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import * as Y from "yjs";

/** PostgreSQL for tests: the machine's database `test` (trust auth), unless overridden. */
export const TEST_POSTGRES_URL = process.env["HUZHU_TEST_DATABASE_URL"] || "postgres://postgres@127.0.0.1:5432/test";
/** Redis for tests, unless overridden. */
export const TEST_REDIS_URL = process.env["HUZHU_TEST_REDIS_URL"] || "redis://127.0.0.1:6379";

/** The external services a test file needs. */
export type TestService = "postgres" | "redis";

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

function probeRedis(): Promise<string | undefined> {
  const url = new URL(TEST_REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    const fail = (why: string) => {
      socket.destroy();
      resolve(`Redis at ${TEST_REDIS_URL} is unreachable (${why})`);
    };
    socket.setTimeout(2_000, () => fail("timeout"));
    socket.once("error", (error) => fail(error.message));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG") ? undefined : `Redis at ${TEST_REDIS_URL} answered ${JSON.stringify(data.toString())}`);
    });
  });
}

/**
 * Checks the services a test file needs, at collection time. Returns why the file should be
 * skipped (printed), or undefined to run it. Skipping happens only outside CI: with CI=true a
 * missing service makes the file fail, with the reason, instead of passing silently.
 */
export async function missingServices(services: readonly TestService[]): Promise<string | undefined> {
  const problems = (await Promise.all(services.map((service) => (service === "postgres" ? probePostgres() : probeRedis())))).filter(
    (problem): problem is string => problem !== undefined,
  );
  if (problems.length === 0) return undefined;
  const reason = problems.join("; ");
  if (process.env["CI"] === "true") {
    beforeAll(() => {
      throw new Error(`CI=true and a service these tests need is missing: ${reason}`);
    });
    return undefined;
  }
  console.warn(`Skipping: ${reason}. Start it (see the team's STACK notes); with CI=true these tests fail instead.`);
  return reason;
}

/** A unique name for this run's schema, Redis prefix and the like. */
export function runName(kind: string): string {
  return `huzhu_${kind}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

/** A PostgreSQL schema of its own for one test file: its DATABASE_URL, and a pool to look inside. */
export interface TestSchema {
  readonly name: string;
  /** DATABASE_URL whose connections use only this schema. */
  readonly url: string;
  /** For reading tables directly, as an operator would. */
  readonly pool: pg.Pool;
}

/**
 * Creates a fresh schema before the file's tests and drops it (with everything in it) after.
 * Use inside a `describe` that is skipped when PostgreSQL is missing.
 */
export function useTestSchema(): TestSchema {
  const name = runName("test");
  const url = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${name}`)}`;
  const schema = { name, url, pool: new pg.Pool({ connectionString: url, max: 2 }) };
  beforeAll(async () => {
    await schema.pool.query(`CREATE SCHEMA ${name}`);
  });
  afterAll(async () => {
    await schema.pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`).catch(() => {});
    await schema.pool.end();
  });
  return schema;
}

/** Rebuilds a document from what PostgreSQL holds right now: snapshot, then every log row. */
export async function readPostgresDocument(pool: pg.Pool, documentName: string): Promise<Y.Doc | undefined> {
  const snapshot = await pool.query<{ state: Buffer }>("SELECT state FROM snapshots WHERE doc_name = $1", [documentName]);
  const updates = await pool.query<{ update: Buffer }>('SELECT "update" FROM updates WHERE doc_name = $1 ORDER BY seq', [documentName]);
  if (!snapshot.rows[0] && updates.rows.length === 0) return undefined;
  const ydoc = new Y.Doc();
  if (snapshot.rows[0]) Y.applyUpdate(ydoc, snapshot.rows[0].state);
  for (const { update } of updates.rows) Y.applyUpdate(ydoc, update);
  return ydoc;
}
