import * as Y from "yjs";
import { missingDependency } from "../collab/update-dependencies.ts";
import type { StoredDocument } from "./doc-store.ts";
import { matchesChecksum } from "./integrity.ts";

/** Why a stored entry was not used. */
export const DamageReason = {
  /** The bytes no longer match the checksum written beside them (damaged or truncated). */
  checksumMismatch: "checksum-mismatch",
  /** No checksum was recorded and the bytes do not decode. */
  undecodable: "undecodable",
  /** The entry builds on something that is not there (it follows a damaged entry). */
  missingDependencies: "missing-dependencies",
} as const;
export type DamageReason = (typeof DamageReason)[keyof typeof DamageReason];

/** One stored entry left out while loading. */
export interface StorageDamage {
  readonly entry: "snapshot" | "previous-snapshot" | "log";
  /** The entry's log sequence number (for snapshots: the highest one they contain). */
  readonly seq: number;
  readonly reason: DamageReason;
}

/** What loading made of a stored document. */
export interface RecoveryReport {
  /** The stored state the document was rebuilt from before replaying the log. */
  readonly base: "snapshot" | "previous-snapshot" | "none";
  /** The highest log sequence number the document now contains. */
  readonly lastSeq: number;
  /** Log entries replayed. */
  readonly applied: number;
  /** Entries left out; empty when everything verified. */
  readonly damage: readonly StorageDamage[];
}

/** Nothing stored verifies well enough to serve: refusing beats serving (and later storing) less. */
export class UnrecoverableDocumentError extends Error {
  override readonly name = "UnrecoverableDocumentError";
  readonly damage: readonly StorageDamage[];

  constructor(message: string, damage: readonly StorageDamage[]) {
    super(message);
    this.damage = damage;
  }
}

function decodes(bytes: Uint8Array): boolean {
  try {
    Y.decodeUpdate(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Verified by its checksum, or (no checksum recorded) at least decodable. */
function verify(bytes: Uint8Array, checksum: number | null | undefined): DamageReason | undefined {
  if (checksum !== null && checksum !== undefined) return matchesChecksum(bytes, checksum) ? undefined : DamageReason.checksumMismatch;
  return decodes(bytes) ? undefined : DamageReason.undecodable;
}

/**
 * Rebuilds a document from storage into `ydoc` (applied with `origin`, V1 decoder only), from the
 * last good state: the snapshot if it verifies, else the previous snapshot generation; then every
 * log entry after it that verifies and whose dependencies are present. Entries after a damaged
 * one that build on it are left out too (they would sit in Yjs' pending queue); independent ones
 * (other people's edits) are kept. Everything left out is listed in the report. Throws
 * `UnrecoverableDocumentError` when no snapshot verifies or a verified one fails to apply.
 */
export function recoverDocument(ydoc: Y.Doc, stored: StoredDocument, origin: unknown): RecoveryReport {
  const damage: StorageDamage[] = [];
  let base: RecoveryReport["base"] = "none";
  let baseSeq = 0;
  let baseState: Uint8Array | null = null;
  if (stored.snapshot) {
    const problem = verify(stored.snapshot, stored.snapshotChecksum);
    if (problem) damage.push({ entry: "snapshot", seq: stored.snapshotSeq, reason: problem });
    else [base, baseSeq, baseState] = ["snapshot", stored.snapshotSeq, stored.snapshot];
  }
  if (!baseState && stored.previous) {
    const problem = verify(stored.previous.state, stored.previous.checksum);
    if (problem) damage.push({ entry: "previous-snapshot", seq: stored.previous.seq, reason: problem });
    else [base, baseSeq, baseState] = ["previous-snapshot", stored.previous.seq, stored.previous.state];
  }
  if (!baseState && stored.snapshot) {
    throw new UnrecoverableDocumentError("no stored snapshot of the document verifies", damage);
  }
  try {
    if (baseState) Y.applyUpdate(ydoc, baseState, origin);
  } catch (error) {
    throw new UnrecoverableDocumentError(`the ${base} verifies but does not apply: ${String(error)}`, damage);
  }

  let lastSeq = baseSeq;
  let applied = 0;
  for (const { seq, update, checksum } of stored.updates) {
    if (seq <= baseSeq) continue;
    const problem = verify(update, checksum);
    if (problem) {
      damage.push({ entry: "log", seq, reason: problem });
      continue;
    }
    // Entries written in order by this server build on each other; only after a gap can one lack
    // what it builds on, so the (slower) dependency check runs only then.
    if (damage.length > 0 && missingDependency(update, ydoc) !== undefined) {
      damage.push({ entry: "log", seq, reason: DamageReason.missingDependencies });
      continue;
    }
    try {
      Y.applyUpdate(ydoc, update, origin);
    } catch (error) {
      throw new UnrecoverableDocumentError(`log entry ${seq} verifies but does not apply: ${String(error)}`, damage);
    }
    lastSeq = Math.max(lastSeq, seq);
    applied += 1;
  }
  return { base, lastSeq, applied, damage };
}
