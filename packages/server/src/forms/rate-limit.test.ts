import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { TokenBuckets, addressKey, clientAddress } from "./rate-limit.ts";

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} } as unknown as IncomingMessage;
}

describe("token buckets", () => {
  it("admit a burst of `capacity`, then one per refill interval, and say how long to wait", () => {
    const buckets = new TokenBuckets({ capacity: 3, refillPerMinute: 6 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => buckets.take("a", t0).ok)).toEqual([true, true, true]);
    const refused = buckets.take("a", t0);
    expect(refused).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(buckets.take("b", t0).ok).toBe(true);
    expect(buckets.take("a", t0 + 9_999).ok).toBe(false);
    expect(buckets.take("a", t0 + 10_000).ok).toBe(true);
    // Never more than the capacity, however long a key was idle.
    expect([1, 2, 3, 4].map(() => buckets.take("a", t0 + 3_600_000).ok)).toEqual([true, true, true, false]);
  });

  it("take back a token given back, never beyond the capacity", () => {
    const buckets = new TokenBuckets({ capacity: 2, refillPerMinute: 0 });
    expect(buckets.take("a", 0).ok).toBe(true);
    expect(buckets.take("a", 0).ok).toBe(true);
    buckets.giveBack("a", 0);
    expect(buckets.take("a", 0).ok).toBe(true);
    expect(buckets.take("a", 0).ok).toBe(false);
    buckets.giveBack("a", 0);
    buckets.giveBack("a", 0);
    buckets.giveBack("a", 0);
    expect([1, 2, 3].map(() => buckets.take("a", 0).ok)).toEqual([true, true, false]);
  });

  it("peek does not take", () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerMinute: 1 });
    expect(buckets.peek("a").ok).toBe(true);
    expect(buckets.peek("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.peek("a").ok).toBe(false);
  });

  it("hold at most maxKeys keys, forgetting the least recently used", () => {
    const buckets = new TokenBuckets({ capacity: 1, refillPerMinute: 0 }, 100);
    for (let i = 0; i < 1_000; i += 1) buckets.take(`k${i}`, 0);
    expect(buckets.size).toBeLessThanOrEqual(100);
    expect(buckets.take("k999", 0).ok).toBe(false);
  });
});

describe("client addresses", () => {
  it("limit IPv4 by address and IPv6 by /64, unmapping IPv4-mapped IPv6", () => {
    expect(addressKey("127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("::ffff:127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
  });

  it("believe X-Forwarded-For only from a trusted proxy, taking the nearest untrusted hop", () => {
    const none = new Set<string>();
    const proxy = new Set(["10.0.0.1", "10.0.0.2"]);
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), none)).toBe("203.0.113.9");
    expect(clientAddress(request("10.0.0.1", "198.51.100.1"), proxy)).toBe("198.51.100.1");
    // The client wrote the leftmost entry itself; the proxy appended what it saw.
    expect(clientAddress(request("10.0.0.1", "1.2.3.4, 198.51.100.1"), proxy)).toBe("198.51.100.1");
    expect(clientAddress(request("10.0.0.1", "198.51.100.1, 10.0.0.2"), proxy)).toBe("198.51.100.1");
    expect(clientAddress(request("::ffff:10.0.0.1", "198.51.100.1"), proxy)).toBe("198.51.100.1");
    expect(clientAddress(request("10.0.0.1", "garbage"), proxy)).toBe("10.0.0.1");
    expect(clientAddress(request("10.0.0.1"), proxy)).toBe("10.0.0.1");
  });
});
