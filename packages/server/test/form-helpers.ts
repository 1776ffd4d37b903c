import { request } from "node:http";
import type { HuzhuServer } from "../src/index.ts";
import { issueLink } from "../src/links.ts";
import { LinkRole } from "../src/storage/doc-store.ts";
import { SqliteDocStore } from "../src/storage/sqlite-store.ts";

/** What the form API answers. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely.
  readonly json: any;
}

/**
 * Adds a form link to a workbook through the store, as an admin would, and returns its token.
 * `expiresAt` and `revoked` make links that no longer work.
 */
export async function addFormLink(
  server: HuzhuServer,
  workbookId: string,
  { expiresAt = null, revoked = false }: { expiresAt?: string | null; revoked?: boolean } = {},
): Promise<string> {
  const store = new SqliteDocStore(server.dataDir);
  try {
    const { record, token } = issueLink(workbookId, LinkRole.form, "求助表单", "#d97706", new Date(), expiresAt);
    await store.createLink({ ...record, revokedAt: revoked ? new Date().toISOString() : null });
    return token;
  } finally {
    await store.close();
  }
}

/**
 * One HTTP request from a chosen local address: every 127.0.0.0/8 address is this machine, so a
 * test can be fifty different people (or one bot) talking to a server on 127.0.0.1.
 */
export function call(
  server: HuzhuServer,
  method: "GET" | "POST",
  path: string,
  options: { body?: unknown; from?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<Answer> {
  const url = new URL(path, server.url);
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress: options.from,
        headers: {
          ...(payload !== undefined ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A complete, valid set of answers for the Shanghai template's form. */
export function validAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    urgency: "urgent",
    category: "medicine",
    district: "xuhui",
    street: "田林街道",
    description: "需要降压药，家中已断药两天",
    patientName: "测试者",
    age: "72",
    phone: "13800138000",
    emergencyContact: "",
    address: "某路 1 号",
    ...overrides,
  };
}

/** Sleeps for `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs a form (its ticket), waits until the ticket is old enough, and submits `answers`. */
export async function submit(
  server: HuzhuServer,
  token: string,
  answers: Record<string, unknown>,
  { from, waitMs = 0 }: { from?: string; waitMs?: number } = {},
): Promise<Answer> {
  const form = await call(server, "GET", `/api/forms/${token}`, { from });
  if (form.status !== 200) return form;
  await sleep(waitMs);
  return call(server, "POST", `/api/forms/${token}`, { from, body: { ticket: form.json.ticket, answers } });
}
