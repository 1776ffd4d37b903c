import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createToken } from "./tokens.ts";

/** The file under DATA_DIR that keeps a generated admin token between starts. */
export const ADMIN_TOKEN_FILE = "admin-token";

/**
 * The admin token kept in DATA_DIR/admin-token, created (256 random bits, mode 0600) on first
 * use. `created` tells the caller to make sure the operator sees it.
 */
export function loadOrCreateAdminToken(dataDir: string): { token: string; created: boolean } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const token = createToken();
  try {
    // "wx": never overwrite a token another process just wrote.
    writeFileSync(file, `${token}\n`, { mode: 0o600, flag: "wx" });
    return { token, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stored = readFileSync(file, "utf8").trim();
  if (stored.length < 24) throw new Error(`${file} does not hold a valid admin token; delete it to have a new one generated`);
  return { token: stored, created: false };
}
