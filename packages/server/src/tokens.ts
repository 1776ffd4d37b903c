import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** A new secret token: 32 random bytes (256 bits), base64url, 43 characters. */
export function createToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What we store instead of a token: its SHA-256, lowercase hex. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Compares two secrets in time independent of where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual requires, without leaking the length.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** A random id for records that are not secret (links). */
export function createRecordId(): string {
  return randomUUID();
}
