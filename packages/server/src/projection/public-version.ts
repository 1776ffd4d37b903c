import { createHash } from "node:crypto";
import { type PublicWorkbook, type Workbook, publicProjection } from "@huzhu/schema";
import { PageCache, strongEtag } from "./public-pages.ts";

/** One state of a workbook's public view, with what HTTP answers are made of. */
export interface PublicVersion {
  readonly view: PublicWorkbook;
  /** SHA-256 (base64url) of the projection's canonical JSON: equal views, equal hashes, on any instance. */
  readonly stateHash: string;
  /** When the view last changed (from the public-state store, so it survives restarts). */
  readonly updatedAt: Date;
  /** The body of `GET /p/<token>.json`. */
  readonly json: string;
  /** Strong ETag of `json`. */
  readonly etag: string;
  /** Rendered pages of this version. */
  readonly pages: PageCache;
}

/** The projection of a workbook and its hash; pure, so every instance computes the same. */
export function projectWorkbook(workbook: Workbook): { view: PublicWorkbook; stateHash: string } {
  const view = publicProjection(workbook);
  return { view, stateHash: createHash("sha256").update(JSON.stringify(view)).digest("base64url") };
}

/** Builds the version HTTP serves for a view that last changed at `updatedAt`. */
export function createVersion(view: PublicWorkbook, stateHash: string, updatedAt: Date): PublicVersion {
  const json = JSON.stringify({ updatedAt: updatedAt.toISOString(), ...view });
  return { view, stateHash, updatedAt, json, etag: strongEtag(json), pages: new PageCache(view, updatedAt) };
}
