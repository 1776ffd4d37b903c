/**
 * Saved versions of workbooks: full document states (V1) with a CRC-32 beside each, automatic
 * ones (by time and by number of changes), named ones, and the one taken before every restore.
 */

import type { VersionInfo, VersionKind } from "@huzhu/schema";

export { type VersionInfo, VersionKind } from "@huzhu/schema";

/** A version with its state. */
export interface StoredVersion extends VersionInfo {
  /** Y.encodeStateAsUpdate (V1) of the workbook when it was saved. */
  readonly state: Uint8Array;
  readonly checksum: number;
}

/** A version to save. */
export interface NewVersion {
  readonly workbookId: string;
  readonly kind: VersionKind;
  readonly name: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly state: Uint8Array;
}

/** Storage of versions (SQLite now; PostgreSQL for scale-out). */
export interface VersionStore {
  /** Saves a version; with `keepAuto`, deletes the workbook's oldest automatic versions beyond that many. */
  saveVersion(version: NewVersion, keepAuto?: number): Promise<VersionInfo>;
  /** A workbook's versions, newest first. */
  listVersions(workbookId: string): Promise<VersionInfo[]>;
  /** One version of a workbook with its state, or undefined. */
  loadVersion(workbookId: string, versionId: number): Promise<StoredVersion | undefined>;
  /**
   * Rewrites every version of a workbook with `rewrite(state)` (purge: load, delete values,
   * re-encode); a version `rewrite` returns null for is left as it is. Each version is rewritten
   * atomically; a store may go version by version and let other work run in between. A version
   * whose bytes fail their checksum cannot be purged and is deleted. Returns how many changed.
   */
  rewriteVersions(workbookId: string, rewrite: (state: Uint8Array) => Uint8Array | null): Promise<number>;
}
