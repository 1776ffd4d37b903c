import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueTicket, manageTokenFor, verifyTicket } from "./ticket.ts";

const rules = { minFillMs: 3_000, maxAgeMs: 60_000 };

describe("form tickets", () => {
  const secret = randomBytes(32);
  const t0 = 1_700_000_000_000;

  it("are accepted between the minimum fill time and the maximum age, for their own form only", () => {
    const ticket = issueTicket(secret, "link-a", t0);
    const early = verifyTicket(secret, "link-a", ticket, rules, t0 + 2_999);
    expect(early).toMatchObject({ ok: false, refusal: "too_fast", retryAfterMs: 1, ticket: { issuedAt: t0 } });
    const ok = verifyTicket(secret, "link-a", ticket, rules, t0 + 3_000);
    expect(ok.ok && ok.ticket.issuedAt).toBe(t0);
    expect(verifyTicket(secret, "link-a", ticket, rules, t0 + 60_001)).toMatchObject({ ok: false, refusal: "ticket_expired" });
    expect(verifyTicket(secret, "link-b", ticket, rules, t0 + 5_000)).toMatchObject({ ok: false, refusal: "invalid_ticket" });
    expect(verifyTicket(randomBytes(32), "link-a", ticket, rules, t0 + 5_000)).toMatchObject({ ok: false, refusal: "invalid_ticket" });
  });

  it("carry a fresh submission id each, and cannot be re-dated", () => {
    const a = issueTicket(secret, "link-a", t0);
    const b = issueTicket(secret, "link-a", t0);
    const idOf = (t: string) => t.split(".")[1];
    expect(idOf(a)).not.toBe(idOf(b));
    const redated = a.replace(/^(v1\.[^.]+\.)([^.]+)/, (_, head) => `${head}${(t0 - 10_000).toString(36)}`);
    expect(verifyTicket(secret, "link-a", redated, rules, t0 + 1_000)).toMatchObject({ ok: false, refusal: "invalid_ticket" });
    for (const junk of [undefined, 42, "", "v1..", `${a}x`]) {
      expect(verifyTicket(secret, "link-a", junk, rules, t0 + 5_000)).toMatchObject({ ok: false, refusal: "invalid_ticket" });
    }
  });

  it("derive one manage token per submission, unguessable without the secret", () => {
    expect(manageTokenFor(secret, "s1")).toBe(manageTokenFor(secret, "s1"));
    expect(manageTokenFor(secret, "s1")).not.toBe(manageTokenFor(secret, "s2"));
    expect(manageTokenFor(randomBytes(32), "s1")).not.toBe(manageTokenFor(secret, "s1"));
    expect(manageTokenFor(secret, "s1")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
