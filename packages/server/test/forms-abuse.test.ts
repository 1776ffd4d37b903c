import { type SheetId, openWorkbook } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { type Answer, addFormLink, call, sleep, validAnswers } from "./form-helpers.ts";
import { createWorkbookOverHttp, readStoredDocument, useHarness } from "./helpers.ts";

const requests = "requests" as SheetId;

/** Runs `task` for 0…count-1 with at most `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe("request form under attack (default limits and timing)", () => {
  const { start } = useHarness();

  it("a bot sending 1,000 rapid submissions gets a handful stored while 50 paced people all succeed", async () => {
    // The server's defaults: 3 s minimum fill time, per-address and per-link buckets.
    const server = await start();
    const { body: created } = await createWorkbookOverHttp(server);
    const token = await addFormLink(server, created.id);
    const BOT = "127.0.0.66";

    const bot = (async () => {
      // A bot that knows the rules: it collects tickets, waits out the fill time, then floods.
      const tickets = (await pool(30, 10, () => call(server, "GET", `/api/forms/${token}`, { from: BOT })))
        .filter((answer) => answer.status === 200)
        .map((answer) => answer.json.ticket as string);
      expect(tickets.length).toBeGreaterThan(0);
      await sleep(3_100);
      return pool(1_000, 25, (i) =>
        call(server, "POST", `/api/forms/${token}`, {
          from: BOT,
          body: {
            ticket: tickets[i % tickets.length],
            answers: validAnswers({ description: `机器人 ${i}`, phone: `1390000${String(i).padStart(4, "0")}` }),
          },
        }),
      );
    })();

    const people = pool(50, 50, async (i): Promise<Answer> => {
      const from = `127.0.1.${i + 1}`;
      await sleep(i * 60);
      const form = await call(server, "GET", `/api/forms/${token}`, { from });
      expect(form.status).toBe(200);
      // People take a while to fill the form in.
      await sleep(3_200 + (i % 7) * 100);
      return call(server, "POST", `/api/forms/${token}`, {
        from,
        body: {
          ticket: form.json.ticket,
          answers: validAnswers({ description: `求助人 ${i}`, phone: `1380000${String(i).padStart(4, "0")}` }),
        },
      });
    });

    const [botAnswers, peopleAnswers] = await Promise.all([bot, people]);
    const refusedPeople = peopleAnswers.filter((answer) => answer.status !== 201);
    expect(refusedPeople.map((answer) => answer.text)).toEqual([]);
    const botStored = botAnswers.filter((answer) => answer.status === 201).length;
    const statuses = new Map<number, number>();
    for (const answer of botAnswers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    expect(botStored, `bot answers by status: ${JSON.stringify([...statuses])}`).toBeLessThanOrEqual(6);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(900);

    const doc = readStoredDocument(server.dataDir, created.id);
    if (!doc) throw new Error("nothing stored");
    const descriptions = openWorkbook(doc)
      .listRows(requests)
      .map((row) => String(row.cells["description"]));
    expect(descriptions.filter((d) => d.startsWith("求助人 "))).toHaveLength(50);
    expect(descriptions.filter((d) => d.startsWith("机器人 "))).toHaveLength(botStored);
    // Every stored request has its own case number.
    const numbers = peopleAnswers.map((answer) => answer.json.caseNumber);
    expect(new Set(numbers).size).toBe(50);
  });
});
