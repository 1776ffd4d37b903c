import { isIP } from "node:net";
import { resolve } from "node:path";
import { z } from "zod";

/** Log levels pino understands. */
export const LogLevel = {
  fatal: "fatal",
  error: "error",
  warn: "warn",
  info: "info",
  debug: "debug",
  trace: "trace",
  silent: "silent",
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Settings read from the environment by `main.ts`. */
export interface ServerConfig {
  /** `PORT`, default 8080; 0 picks a free port. */
  readonly port: number;
  /** `HOST`, default 0.0.0.0 (all interfaces). */
  readonly host: string;
  /**
   * `DATA_DIR`, default ./data, made absolute against the directory the command was started in
   * (pnpm's INIT_CWD, so `pnpm start` at the repository root keeps data in ./data there).
   * Holds the database, the admin token and demo links.
   */
  readonly dataDir: string;
  /** `HUZHU_ADMIN_TOKEN`; when unset one is generated and kept in DATA_DIR/admin-token. */
  readonly adminToken: string | undefined;
  /** `PUBLIC_URL`, the address people open (links are built from it); default http://localhost:PORT. */
  readonly publicUrl: string | undefined;
  /** `LOG_LEVEL`, default info. */
  readonly logLevel: LogLevel;
  /** `DATABASE_URL` (postgres://…): store everything in PostgreSQL instead of SQLite under DATA_DIR. */
  readonly databaseUrl: string | undefined;
  /** `REDIS_URL` (redis:// or rediss://): serve workbooks together with the other instances on it. */
  readonly redisUrl: string | undefined;
  /** `REDIS_PREFIX`, default huzhu: namespace of this deployment's Redis channels and keys. */
  readonly redisPrefix: string;
  /**
   * `TRUSTED_PROXY`: comma-separated addresses of reverse proxies in front of the server. Only
   * connections from these have their `X-Forwarded-For` believed (for the request form's rate
   * limits); default none, so the socket's address is the client's.
   */
  readonly trustedProxies: readonly string[];
  /** `BROADCAST_WINDOW_MS`: the largest broadcast window, which grows with a document's connections (create-server.ts). */
  readonly broadcastWindowMs: number | undefined;
  /**
   * `HUZHU_FORM_SECRET` (base64url, at least 32 bytes): signs form tickets and derives manage
   * links. When unset, one is generated and kept in DATA_DIR/form-secret. Instances of one
   * deployment must share it.
   */
  readonly formSecret: Buffer | undefined;
}

const publicUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}, "must be an http(s) URL without query, fragment or credentials, e.g. https://huzhu.example.org");

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  HUZHU_ADMIN_TOKEN: z
    .string()
    .min(24, "must be at least 24 characters (generate one with: openssl rand -base64 32)")
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .optional(),
  PUBLIC_URL: publicUrl.optional(),
  LOG_LEVEL: z.enum(Object.values(LogLevel) as [LogLevel, ...LogLevel[]]).default(LogLevel.info),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a PostgreSQL URL, e.g. postgres://huzhu:secret@db.internal:5432/huzhu")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a Redis URL, e.g. redis://redis.internal:6379 (rediss:// for TLS)")
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1-64 letters, digits, dots, dashes or underscores")
    .default("huzhu"),
  TRUSTED_PROXY: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((address) => address.trim())
        .filter((address) => address !== ""),
    )
    .refine(
      (addresses) => addresses.every((address) => isIP(address) !== 0),
      "must be IP addresses separated by commas, e.g. 127.0.0.1,::1",
    )
    .default([]),
  BROADCAST_WINDOW_MS: z.coerce.number().int().min(0).max(1000).optional(),
  HUZHU_FORM_SECRET: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{43,}$/,
      "must be at least 32 random bytes in base64url (generate one with: openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')",
    )
    .transform((value) => Buffer.from(value, "base64url"))
    .optional(),
});

/** Bad environment; the message lists every variable that was wrong and what it accepts. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads and validates the server's environment. Empty variables count as unset. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = env["INIT_CWD"] || process.cwd()): ServerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: resolve(cwd, values.DATA_DIR),
    adminToken: values.HUZHU_ADMIN_TOKEN,
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ""),
    logLevel: values.LOG_LEVEL,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    redisPrefix: values.REDIS_PREFIX,
    trustedProxies: values.TRUSTED_PROXY,
    broadcastWindowMs: values.BROADCAST_WINDOW_MS,
    formSecret: values.HUZHU_FORM_SECRET,
  };
}
