import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "./config.ts";

describe("readConfig", () => {
  it("uses the documented defaults when nothing is set (empty counts as unset)", () => {
    expect(readConfig({ PORT: "", HUZHU_ADMIN_TOKEN: "" })).toEqual({
      port: 8080,
      host: "0.0.0.0",
      dataDir: resolve(process.cwd(), "data"),
      adminToken: undefined,
      publicUrl: undefined,
      logLevel: "info",
      databaseUrl: undefined,
      redisUrl: undefined,
      redisPrefix: "huzhu",
      trustedProxies: [],
    });
  });

  it("reads TRUSTED_PROXY as a list of addresses and refuses anything else", () => {
    expect(readConfig({ TRUSTED_PROXY: "10.0.0.1, ::1" }).trustedProxies).toEqual(["10.0.0.1", "::1"]);
    expect(() => readConfig({ TRUSTED_PROXY: "10.0.0.1,proxy.internal" })).toThrow(/TRUSTED_PROXY: must be IP addresses/);
  });

  it("reads every variable and drops a trailing slash from PUBLIC_URL", () => {
    const config = readConfig({
      PORT: "9000",
      HOST: "127.0.0.1",
      DATA_DIR: "/srv/huzhu",
      HUZHU_ADMIN_TOKEN: "a".repeat(32),
      PUBLIC_URL: "https://huzhu.example.org/",
      LOG_LEVEL: "warn",
    });
    expect(config).toMatchObject({
      port: 9000,
      host: "127.0.0.1",
      dataDir: "/srv/huzhu",
      publicUrl: "https://huzhu.example.org",
      logLevel: "warn",
    });
  });

  it("reads HUZHU_FORM_SECRET as base64url bytes and refuses one too short to be a key", () => {
    const secret = Buffer.alloc(32, 7);
    expect(readConfig({ HUZHU_FORM_SECRET: secret.toString("base64url") }).formSecret).toEqual(secret);
    expect(readConfig({}).formSecret).toBeUndefined();
    expect(() => readConfig({ HUZHU_FORM_SECRET: "c2hvcnQ" })).toThrow(/HUZHU_FORM_SECRET: must be at least 32 random bytes/);
    expect(() => readConfig({ HUZHU_FORM_SECRET: `${"a".repeat(40)}+/==` })).toThrow(/HUZHU_FORM_SECRET/);
  });

  it("refuses bad values with one message naming each variable and what it accepts", () => {
    const attempt = () => readConfig({ PORT: "eighty", HUZHU_ADMIN_TOKEN: "short", PUBLIC_URL: "ftp://x", LOG_LEVEL: "loud" });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    for (const name of ["PORT", "HUZHU_ADMIN_TOKEN", "PUBLIC_URL", "LOG_LEVEL"]) expect(message).toContain(name);
    expect(message).toContain("at least 24 characters");
  });

  it("resolves DATA_DIR against the directory pnpm was started in", () => {
    expect(readConfig({ INIT_CWD: "/srv/checkout" }).dataDir).toBe("/srv/checkout/data");
    expect(readConfig({ INIT_CWD: "/srv/checkout", DATA_DIR: "/var/lib/huzhu" }).dataDir).toBe("/var/lib/huzhu");
  });

  it("reads DATABASE_URL, REDIS_URL and REDIS_PREFIX, and refuses URLs of another kind", () => {
    expect(readConfig({ DATABASE_URL: "postgres://db:5432/huzhu", REDIS_URL: "rediss://cache:6380", REDIS_PREFIX: "prod" })).toMatchObject({
      databaseUrl: "postgres://db:5432/huzhu",
      redisUrl: "rediss://cache:6380",
      redisPrefix: "prod",
    });
    expect(() => readConfig({ DATABASE_URL: "mysql://db/huzhu" })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
    expect(() => readConfig({ REDIS_URL: "http://cache" })).toThrow(/REDIS_URL: must be a Redis URL/);
    expect(() => readConfig({ REDIS_PREFIX: "a b" })).toThrow(/REDIS_PREFIX/);
  });

  it("refuses a port out of range", () => {
    expect(() => readConfig({ PORT: "70000" })).toThrow(/PORT/);
  });
});
