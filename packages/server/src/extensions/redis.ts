import { Redis } from "@hocuspocus/extension-redis";
import type { Logger } from "pino";

/** How this server joins the others through Redis. */
export interface RedisConfiguration {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /** Namespace of the channels and lock keys; instances serving the same workbooks share it. */
  readonly prefix: string;
  readonly logger: Logger;
  /** How long to wait for Redis at startup before giving up. Default 5 s. */
  readonly connectTimeoutMs?: number;
}

/** The URL schemes REDIS_URL accepts. */
export const REDIS_URL_PATTERN = /^rediss?:\/\//;

function connectionOptions(url: URL) {
  const db = url.pathname.replace(/^\//, "");
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? Number(url.port) : 6379,
    options: {
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: db ? Number(db) : 0,
      tls: url.protocol === "rediss:" ? {} : undefined,
    },
  };
}

/**
 * Hocuspocus' Redis extension on REDIS_URL: every instance subscribed to a document relays its
 * changes and presence to the others, so clients connected to different instances edit one
 * workbook. Resolves once Redis answers, so a wrong URL stops the server at startup instead of
 * leaving instances silently apart.
 */
export async function connectRedis({ url, prefix, logger, connectTimeoutMs = 5_000 }: RedisConfiguration): Promise<Redis> {
  const parsed = new URL(url);
  const { host, port, options } = connectionOptions(parsed);
  const redis = new Redis({ host, port, options, prefix });
  for (const client of [redis.pub, redis.sub]) {
    client.on("error", (error: Error) => logger.warn({ reason: error.message }, "redis connection error"));
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.pub.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis at ${parsed.host} did not answer within ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    redis.pub.disconnect();
    redis.sub.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
