import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** One bucket's shape: `capacity` requests at once, then `refillPerMinute` more each minute. */
export interface BucketRule {
  readonly capacity: number;
  readonly refillPerMinute: number;
}

/** The outcome of taking a token. */
export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (an address, a link id), in memory. Each server instance limits on its
 * own, so N instances admit up to N times the rule. Buckets that have refilled are swept now and
 * then, and the map never holds more than `maxKeys` (least recently used dropped first: a flood of
 * addresses can make the limiter forget, never grow without bound).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rule: BucketRule;
  private readonly maxKeys: number;
  private takes = 0;

  constructor(rule: BucketRule, maxKeys = 100_000) {
    this.rule = rule;
    this.maxKeys = maxKeys;
  }

  private level(bucket: Bucket, now: number): number {
    const refilled = ((now - bucket.at) / 60_000) * this.rule.refillPerMinute;
    return Math.min(this.rule.capacity, bucket.tokens + refilled);
  }

  /** Whether `key` could take a token now, without taking it. */
  peek(key: string, now = Date.now()): TakeResult {
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.level(bucket, now) : this.rule.capacity;
    if (tokens >= 1) return { ok: true };
    const perMs = this.rule.refillPerMinute / 60_000;
    return { ok: false, retryAfterMs: perMs > 0 ? Math.ceil((1 - tokens) / perMs) : Number.POSITIVE_INFINITY };
  }

  /** Takes one token for `key`, or says how long until one is available. */
  take(key: string, now = Date.now()): TakeResult {
    const verdict = this.peek(key, now);
    if (!verdict.ok) return verdict;
    const bucket = this.buckets.get(key);
    const tokens = (bucket ? this.level(bucket, now) : this.rule.capacity) - 1;
    // Re-inserted so the map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, at: now });
    this.evict(now);
    return { ok: true };
  }

  /** Returns a token taken for a request that turned out to cost nothing (never above capacity). */
  giveBack(key: string, now = Date.now()): void {
    const bucket = this.buckets.get(key);
    if (bucket) this.buckets.set(key, { tokens: Math.min(this.rule.capacity, this.level(bucket, now) + 1), at: now });
  }

  /** How many keys are held (tests, metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    this.takes += 1;
    if (this.takes % 1_000 === 0) {
      // Full again: forgetting such a bucket changes nothing.
      for (const [key, bucket] of this.buckets) if (this.level(bucket, now) >= this.rule.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size <= this.maxKeys) return;
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys * 0.9) break;
      this.buckets.delete(key);
    }
  }
}

function stripMapped(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/** Expands an IPv6 address to its eight groups. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}

/**
 * The key a client is limited under: the IPv4 address, or the /64 prefix of an IPv6 address (one
 * household or phone gets a whole /64, so a single address would be trivial to rotate).
 */
export function addressKey(address: string): string {
  const plain = stripMapped(address);
  if (isIP(plain) !== 6) return plain;
  return `${ipv6Groups(plain).slice(0, 4).join(":")}::/64`;
}

/**
 * The client's address: the socket's remote address, unless that is a trusted proxy; then the
 * nearest address in `X-Forwarded-For` that is not itself a trusted proxy (entries further left
 * were written by the client and prove nothing).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const remote = stripMapped(req.socket.remoteAddress ?? "unknown");
  if (!trustedProxies.has(remote)) return remote;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((hop) => stripMapped(hop.trim()))
    .filter((hop) => hop !== "");
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) return remote;
    if (!trustedProxies.has(hop)) return hop;
  }
  return remote;
}
