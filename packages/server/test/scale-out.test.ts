import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { isDeepStrictEqual } from "node:util";
import { type ColumnId, type SheetId, type Workbook, openWorkbook, publicProjection } from "@huzhu/schema";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import * as Y from "yjs";
import type { CreatedWorkbook } from "../src/index.ts";
import { createToken } from "../src/tokens.ts";
import { waitFor } from "./helpers.ts";
import { TEST_REDIS_URL, missingServices, readPostgresDocument, runName, useTestSchema } from "./services.ts";

const requests = "requests" as SheetId;
const hospitals = "hospitals" as SheetId;
const skip = await missingServices(["postgres", "redis"]);
const INSTANCE_SCRIPT = fileURLToPath(new URL("./instance-process.ts", import.meta.url));
/**
 * Waits are generous: three server processes and nine providers share two cores with the rest of
 * the suite. They bound how long a broken build hangs, not how fast a healthy one must be.
 */
const LOADED_MS = 60_000;
const TEST_MS = 240_000;

/** A server instance running as its own process. */
interface Instance {
  readonly name: string;
  readonly process: ChildProcess;
  readonly url: string;
  readonly collabUrl: string;
  /** What the process wrote to stderr, for failure messages. */
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

/** A provider whose reconnects go round a list of instances, as behind a load balancer. */
interface Client {
  readonly name: string;
  readonly provider: HocuspocusProvider;
  readonly socket: HocuspocusProviderWebsocket;
  readonly workbook: Workbook;
  /** Descriptions of the rows this client inserted, in order. */
  readonly inserted: string[];
  /** How many of `inserted` the server had acknowledged at the last moment nothing was pending. */
  acknowledged: number;
  /** The instance the current (or last) socket went to. */
  connectedTo: string;
}

function rowsOf(workbook: Workbook, sheet = requests) {
  return workbook.listRows(sheet, { includeDeleted: true });
}

/** What the public may see of each sheet: its published rows and their public cells. */
function publicRows(workbook: Workbook) {
  return publicProjection(workbook).sheets.map((sheet) => ({ sheet: sheet.id, rows: sheet.rows }));
}

function descriptions(doc: Y.Doc): Set<string> {
  return new Set(rowsOf(openWorkbook(doc)).map((row) => String(row.cells["description"] ?? "")));
}

describe.skipIf(skip)("three instances on one PostgreSQL and Redis", () => {
  const schema = useTestSchema();
  const adminToken = createToken();
  const instances: Instance[] = [];
  const clients: Client[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) {
      client.provider.destroy();
      client.socket.destroy();
    }
    await Promise.all(
      instances.splice(0).map(async (instance) => {
        if (instance.process.exitCode === null && instance.process.signalCode === null) instance.process.kill("SIGTERM");
        await instance.exited;
      }),
    );
  });

  /** Starts `count` instances sharing this run's schema and Redis prefix. */
  async function startInstances(count: number): Promise<Instance[]> {
    const redisPrefix = runName("redis");
    const started = await Promise.all(
      Array.from({ length: count }, async (_, index): Promise<Instance> => {
        const child = spawn(process.execPath, [INSTANCE_SCRIPT], {
          env: {
            ...process.env,
            HUZHU_TEST_DATA_DIR: mkdtempSync(join(tmpdir(), "huzhu-instance-")),
            HUZHU_TEST_ADMIN_TOKEN: adminToken,
            HUZHU_TEST_DATABASE_URL: schema.url,
            HUZHU_TEST_REDIS_URL: TEST_REDIS_URL,
            HUZHU_TEST_REDIS_PREFIX: redisPrefix,
            // Compact often, so several instances compact the same document while it is edited.
            HUZHU_TEST_COMPACT_AFTER: "5",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        const stderr: string[] = [];
        child.stderr?.on("data", (data: Buffer) => stderr.push(data.toString()));
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        const port = await new Promise<number>((resolve, reject) => {
          let out = "";
          child.stdout?.on("data", (data: Buffer) => {
            out += data.toString();
            const line = out.split("\n")[0];
            if (out.includes("\n") && line) resolve((JSON.parse(line) as { port: number }).port);
          });
          exited.then((code) => reject(new Error(`instance ${index} exited (${code}) before listening:\n${stderr.join("")}`)));
        });
        return {
          name: `instance-${index}`,
          process: child,
          url: `http://127.0.0.1:${port}`,
          collabUrl: `ws://127.0.0.1:${port}/collab`,
          stderr,
          exited,
        };
      }),
    );
    instances.push(...started);
    return started;
  }

  async function createWorkbook(instance: Instance, sampleData = false): Promise<CreatedWorkbook> {
    const response = await fetch(`${instance.url}/api/workbooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ template: "shanghai-medical", title: "多实例", sampleData }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedWorkbook;
  }

  /**
   * A client that connects to `pool[home]` first and, when that fails, to the next instance; by
   * default an editor on the workbook, or whatever `as` says (a public viewer).
   */
  function connect(
    name: string,
    pool: readonly Instance[],
    home: number,
    created: CreatedWorkbook,
    as: { documentName: string; token: string; viewer?: boolean } = { documentName: created.id, token: created.links.editor.token },
  ): Client {
    let attempt = home;
    const client = { name, inserted: [] as string[], acknowledged: 0, connectedTo: "" } as Client;
    class FailoverWebSocket extends WebSocket {
      constructor() {
        const target = pool[attempt % pool.length] as Instance;
        attempt += 1;
        super(target.collabUrl);
        client.connectedTo = target.name;
      }
    }
    const socket = new HocuspocusProviderWebsocket({
      url: (pool[home] as Instance).collabUrl,
      WebSocketPolyfill: FailoverWebSocket,
      delay: 50,
      minDelay: 50,
      maxDelay: 300,
    });
    // A public viewer as docs/api.md describes it: no presence, and a stateless keepalive so a
    // quiet public document does not make the provider drop and reopen the connection.
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: as.documentName,
      token: as.token,
      ...(as.viewer ? { awareness: null } : {}),
    });
    provider.attach();
    if (as.viewer) {
      const keepalive = setInterval(() => provider.sendStateless("huzhu:ping"), 20_000).unref();
      provider.on("destroy", () => clearInterval(keepalive));
    }
    provider.on("unsyncedChanges", ({ number }: { number: number }) => {
      if (number === 0) client.acknowledged = client.inserted.length;
    });
    Object.assign(client, { provider, socket, workbook: openWorkbook(provider.document, { origin: `test-${name}` }) });
    clients.push(client);
    return client;
  }

  /** Resolves once nothing the client sent is unacknowledged, or after `timeoutMs`. */
  function settled(client: Client, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        client.provider.off("unsyncedChanges", check);
        resolve();
      }
      function check() {
        if (client.provider.unsyncedChanges === 0) done();
      }
      client.provider.on("unsyncedChanges", check);
      check();
    });
  }

  /** One edit: a new request row with a description unique to this client, and a cell of someone's row. */
  function edit(client: Client, step: number): void {
    const description = `${client.name}#${step}`;
    client.inserted.push(description);
    client.workbook.insertRow(requests, { description });
    const rows = rowsOf(client.workbook);
    const other = rows[Math.floor(Math.random() * rows.length)];
    if (other) client.workbook.setCell(requests, other.id, "street" as ColumnId, `${client.name} 路 ${step}`);
  }

  /** Every client acknowledged, all documents identical, every request numbered; then that state. */
  async function converged(all: readonly Client[], timeoutMs = LOADED_MS) {
    // Every sheet, trashed rows included: the documents are the same, not just the requests.
    const state = (client: Client) =>
      JSON.stringify(client.workbook.listSheets().map((sheet) => [sheet.id, rowsOf(client.workbook, sheet.id as SheetId)]));
    await waitFor(
      () => {
        if (!all.every((client) => client.provider.isSynced && client.provider.unsyncedChanges === 0)) return false;
        const first = state(all[0] as Client);
        return (
          all.every((client) => state(client) === first) &&
          rowsOf((all[0] as Client).workbook).every((row) => (row.cells["caseNumber"] ?? "") !== "")
        );
      },
      "every client to converge, acknowledged and numbered",
      timeoutMs,
    );
    return rowsOf((all[0] as Client).workbook);
  }

  function expectUniqueCaseNumbers(rows: ReturnType<typeof rowsOf>): void {
    const numbers = rows.map((row) => String(row.cells["caseNumber"]));
    expect(new Set(numbers).size, `case numbers ${numbers.join(", ")}`).toBe(rows.length);
  }

  it(
    "clients spread over the instances edit concurrently and converge, with unique case numbers",
    async () => {
      const pool = await startInstances(3);
      const created = await createWorkbook(pool[0] as Instance);
      const all = Array.from({ length: 6 }, (_, i) => connect(`c${i}`, pool, i % pool.length, created));
      await waitFor(() => all.every((client) => client.provider.isSynced), "every client's first sync", LOADED_MS);
      expect(new Set(all.map((client) => client.connectedTo)).size).toBe(3);
      const before = rowsOf((all[0] as Client).workbook).length;

      await Promise.all(
        all.map(async (client) => {
          for (let step = 0; step < 12; step += 1) {
            edit(client, step);
            await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
          }
        }),
      );
      const rows = await converged(all);
      const expected = all.flatMap((client) => client.inserted);
      expect(rows.map((row) => row.cells["description"]).sort()).toEqual(expected.sort());
      expectUniqueCaseNumbers(rows);

      const { rows: numbered } = await schema.pool.query<{ n: number; distinct_numbers: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct_numbers FROM case_numbers WHERE workbook_id = $1",
        [created.id],
      );
      expect(numbered[0]).toEqual({ n: expected.length + before, distinct_numbers: expected.length + before });
      const stored = await readPostgresDocument(schema.pool, created.id);
      expect(stored && [...expected].every((description) => descriptions(stored).has(description))).toBe(true);
    },
    TEST_MS,
  );

  it(
    "killing an instance loses no acknowledged edit, and its clients carry on through another instance",
    async () => {
      const pool = await startInstances(3);
      const created = await createWorkbook(pool[0] as Instance);
      const all = Array.from({ length: 6 }, (_, i) => connect(`k${i}`, pool, i % pool.length, created));
      await waitFor(() => all.every((client) => client.provider.isSynced), "every client's first sync", LOADED_MS);
      const victim = pool[2] as Instance;
      const victimClients = all.filter((client) => client.connectedTo === victim.name);
      const before = rowsOf((all[0] as Client).workbook).length;
      expect(victimClients).toHaveLength(2);

      let editing = true;
      const editors = all.map(async (client) => {
        for (let step = 0; editing; step += 1) {
          edit(client, step);
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
          // Now and then a pause until everything is acknowledged (as a person pauses), so there
          // are moments with nothing pending even when the machine is slow to acknowledge.
          if (Math.random() < 0.25) await settled(client, 5_000);
        }
      });
      await waitFor(
        () => victimClients.every((client) => client.acknowledged >= 5),
        "the victim's clients to have acknowledged edits",
        LOADED_MS,
      );

      // What every client had acknowledged when the instance died, taken in the same tick as the kill.
      const acknowledgedAtKill = new Map(all.map((client) => [client, client.inserted.slice(0, client.acknowledged)]));
      victim.process.kill("SIGKILL");
      await victim.exited;
      const storedAtKill = await readPostgresDocument(schema.pool, created.id);
      expect(storedAtKill).toBeDefined();
      const stored = descriptions(storedAtKill as Y.Doc);
      for (const [client, acknowledged] of acknowledgedAtKill) {
        const missing = acknowledged.filter((description) => !stored.has(description));
        expect(missing, `${client.name} (on ${client.connectedTo}): acknowledged, not in PostgreSQL after the kill`).toEqual([]);
      }

      // Editing goes on while the victim's clients find another instance.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      editing = false;
      await Promise.all(editors);
      const rows = await converged(all);
      for (const client of victimClients) expect(client.connectedTo).not.toBe(victim.name);

      const everything = all.flatMap((client) => client.inserted);
      const present = new Set(rows.map((row) => String(row.cells["description"])));
      expect(everything.filter((description) => !present.has(description))).toEqual([]);
      expect(rows).toHaveLength(everything.length + before);
      expectUniqueCaseNumbers(rows);
      const final = await readPostgresDocument(schema.pool, created.id);
      const finalStored = descriptions(final as Y.Doc);
      expect(everything.filter((description) => !finalStored.has(description))).toEqual([]);
      expect(victim.stderr.join("")).not.toMatch(/Error/);
    },
    TEST_MS,
  );

  it(
    "the public projection stays one copy while every instance computes it",
    async () => {
      const pool = await startInstances(3);
      const created = await createWorkbook(pool[0] as Instance, true);
      const editors = pool.map((_, i) => connect(`e${i}`, pool, i, created));
      const publicDoc = { documentName: created.collab.publicDocumentName, token: created.links.public.token, viewer: true };
      const viewers = pool.map((_, i) => connect(`v${i}`, pool, i, created, publicDoc));
      await waitFor(() => [...editors, ...viewers].every((client) => client.provider.isSynced), "every client's first sync", LOADED_MS);
      const shared = rowsOf((editors[0] as Client).workbook, hospitals)[0];
      expect(shared).toBeDefined();

      // Every instance recomputes the projection from its own copy while the copies still differ.
      await Promise.all(
        editors.map(async (editor, i) => {
          for (let step = 0; step < 6; step += 1) {
            editor.workbook.insertRow(hospitals, { name: `${editor.name} 医院 ${step}` });
            editor.workbook.setCell(hospitals, shared!.id, "intake" as ColumnId, step % 2 === 0 ? "open" : "limited");
            editor.workbook.setCell(hospitals, shared!.id, "name" as ColumnId, `共用 ${i}-${step}`);
            await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
          }
        }),
      );
      await converged(editors);
      const expected = publicRows((editors[0] as Client).workbook);
      const expectedHospitals = expected.find((sheet) => sheet.sheet === hospitals)?.rows ?? [];
      expect(expectedHospitals.length).toBe(rowsOf((editors[0] as Client).workbook, hospitals).length);
      const differences = (clients: readonly Client[]) =>
        clients
          .map((client) => {
            const seen = publicRows(client.workbook);
            const rows = seen.flatMap((sheet) => {
              const want = expected.find((other) => other.sheet === sheet.sheet)?.rows ?? [];
              const extra = sheet.rows.filter(
                (row) =>
                  !isDeepStrictEqual(
                    row,
                    want.find((other) => other.id === row.id),
                  ),
              );
              const missing = want.filter((row) => !sheet.rows.some((other) => other.id === row.id));
              return [
                ...extra.map((row) => `+${row.id} ${String(row.cells["name"])}`),
                ...missing.map((row) => `-${row.id} ${String(row.cells["name"])}`),
              ];
            });
            return rows.length === 0 ? "" : `${client.name} on ${client.connectedTo}: ${rows.slice(0, 6).join(", ")}`;
          })
          .filter(Boolean)
          .join("; ");
      const holdProjection = (clients: readonly Client[], what: string) =>
        waitFor(() => differences(clients) === "", what, LOADED_MS).catch((error: Error) => {
          throw new Error(`${error.message}; differences: ${differences(clients)}`);
        });
      await holdProjection(viewers, "every live viewer, on every instance, to hold exactly the workbook's projection");

      // What each instance's public document holds now, through a fresh viewer on each of them.
      const fresh = pool.map((_, i) => connect(`f${i}`, [pool[i] as Instance], 0, created, publicDoc));
      await waitFor(() => fresh.every((client) => client.provider.isSynced), "the fresh viewers' sync", LOADED_MS);
      await holdProjection(fresh, "a fresh viewer on every instance to see exactly the workbook's projection");
      // One copy: the instances' public documents are one Yjs document (relayed through Redis),
      // not three that happen to read alike.
      const stateVector = (client: Client) => Buffer.from(Y.encodeStateVector(client.provider.document)).toString("base64");
      await waitFor(() => new Set(fresh.map(stateVector)).size === 1, "the instances' public documents to be one", LOADED_MS);

      // Revoking the public link through one instance ends its connections on every instance.
      const reasons = viewers.map((viewer) => {
        const seen: string[] = [];
        viewer.provider.on("close", ({ event }: { event: { reason: string } }) => {
          seen.push(event.reason);
        });
        return seen;
      });
      const admin = { authorization: `Bearer ${adminToken}` };
      const links = (await (await fetch(`${pool[0]?.url}/api/workbooks/${created.id}/links`, { headers: admin })).json()) as {
        links: { id: string; role: string }[];
      };
      const publicLink = links.links.find((link) => link.role === "public");
      const revoked = await fetch(`${pool[0]?.url}/api/workbooks/${created.id}/links/${publicLink?.id}/revoke`, {
        method: "POST",
        headers: admin,
      });
      expect(revoked.status).toBe(200);
      const revokedAt = Date.now();
      await waitFor(
        () => reasons.every((seen) => seen.includes("link-revoked")),
        "every instance to close the revoked link's viewers",
        LOADED_MS,
      );
      // About a second (each instance re-reads the links of its open connections every second);
      // more only when the machine is overloaded.
      console.info(`revoked link closed on all three instances after ${Date.now() - revokedAt} ms`);
    },
    TEST_MS,
  );
});
