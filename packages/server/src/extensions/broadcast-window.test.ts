import { describe, expect, it } from "vitest";
import { BroadcastWindow, broadcastDelay } from "./broadcast-window.ts";

describe("broadcast windows", () => {
  it("send a change at once when a window has passed since the last broadcast, else at the window's end", () => {
    expect(broadcastDelay(1000, Number.NEGATIVE_INFINITY, 15)).toBe(0);
    expect(broadcastDelay(1000, 1000, 15)).toBe(15);
    expect(broadcastDelay(1004.2, 1000, 15)).toBe(11);
    expect(broadcastDelay(1015, 1000, 15)).toBe(0);
    expect(broadcastDelay(1003, 1000, 0)).toBe(0);
  });

  it("are sized by connections: none for a team, up to the maximum for a crowd", () => {
    const window = new BroadcastWindow(20);
    expect(window.windowFor(5)).toBe(0);
    expect(window.windowFor(100)).toBe(3);
    expect(window.windowFor(500)).toBe(15);
    expect(window.windowFor(5000)).toBe(20);
  });
});
