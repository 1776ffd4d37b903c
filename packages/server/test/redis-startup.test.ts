import { describe, expect, it } from "vitest";
import { startTestServer } from "../src/testing.ts";

describe("REDIS_URL at startup", () => {
  it("refuses to start, saying so, when Redis does not answer (rather than serve apart from the other instances)", async () => {
    const started = Date.now();
    // Nothing listens on port 1.
    await expect(startTestServer({ redisUrl: "redis://127.0.0.1:1" })).rejects.toThrow(
      /Redis at 127\.0\.0\.1:1 did not answer within 5000 ms/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
