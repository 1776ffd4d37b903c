import { describe, expect, it } from "vitest";
import { retryDelay } from "./public-view.ts";

describe("public viewer connection", () => {
  it("waits longer after each failed attempt, with jitter, never past the cap", () => {
    expect(retryDelay(0, 30_000, () => 0)).toBe(500);
    expect(retryDelay(0, 30_000, () => 1)).toBe(1_000);
    expect(retryDelay(3, 30_000, () => 1)).toBe(8_000);
    expect(retryDelay(40, 30_000, () => 1)).toBe(30_000);
    expect(retryDelay(40, 30_000, () => 0)).toBe(15_000);
  });
});
