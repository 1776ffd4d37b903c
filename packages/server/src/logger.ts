import { type Logger, pino } from "pino";
import type { LogLevel } from "./config.ts";

/**
 * The server's logger: JSON lines on stdout. Log calls pass ids and counts, never cell values,
 * names, phone numbers or tokens; the redaction below is a second line of defence.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({
    name: "huzhu",
    level,
    redact: { paths: ["token", "*.token", "authorization", "*.authorization", "adminToken"], censor: "[redacted]" },
  });
}
