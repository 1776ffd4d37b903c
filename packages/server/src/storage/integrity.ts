import { crc32 } from "node:zlib";

/**
 * The checksum stored beside every blob (log entry, snapshot, version): CRC-32 of the bytes as
 * written. It detects damaged and truncated entries at load; it is not a defence against someone
 * who can write the database (they could rewrite the checksum too).
 */
export function checksumOf(bytes: Uint8Array): number {
  return crc32(bytes);
}

/**
 * Whether a snapshot is known good: its checksum was recorded and matches. Loading reads the
 * previous generation (what a damaged snapshot is rebuilt from, as large again) only otherwise.
 */
export function verifiesByChecksum(bytes: Uint8Array, checksum: number | null | undefined): boolean {
  return checksum !== null && checksum !== undefined && checksumOf(bytes) === checksum;
}

/** Whether `bytes` still match the checksum written beside them; unrecorded (null) checksums pass. */
export function matchesChecksum(bytes: Uint8Array, checksum: number | null | undefined): boolean {
  return checksum === null || checksum === undefined || checksumOf(bytes) === checksum;
}
