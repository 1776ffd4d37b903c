import type { HuzhuServer } from "../src/index.ts";

/** A JSON API call with a bearer token; answers status and parsed body. */
export async function api<T = Record<string, unknown>>(
  server: HuzhuServer,
  path: string,
  token: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Issues a link of another role for a workbook through the admin links API. */
export async function issueLink(server: HuzhuServer, workbookId: string, role: "admin" | "editor" | "form" | "public", label: string) {
  const { status, body } = await api<{ token: string }>(server, `/api/workbooks/${workbookId}/links`, server.adminToken, {
    body: { role, label },
  });
  if (status !== 201) throw new Error(`creating a ${role} link answered ${status}: ${JSON.stringify(body)}`);
  return body.token;
}

/** A controllable clock for history and retention. */
export function testClock(start = "2022-04-10T08:00:00.000Z") {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const DAY = 86_400_000;
