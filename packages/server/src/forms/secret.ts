import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file under DATA_DIR that keeps the form secret between starts. */
export const FORM_SECRET_FILE = "form-secret";

/**
 * The key that signs form tickets and derives manage tokens: 32 random bytes kept in
 * DATA_DIR/form-secret (mode 0600), created on first use. Kept out of the database on purpose: a
 * leaked database copy must not let anyone derive manage tokens and withdraw requests. Instances
 * of one deployment must share it (same file, or the `formSecret` option).
 */
export function loadOrCreateFormSecret(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, FORM_SECRET_FILE);
  try {
    // "wx": never overwrite a secret another process just wrote.
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  if (secret.length < 32) throw new Error(`${file} does not hold a valid form secret; delete it to have a new one generated`);
  return secret;
}
