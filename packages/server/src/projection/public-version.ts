import { createHash } from "node:crypto";
import { type PublicWorkbook, type Workbook, publicProjection, publicViewJson } from "@huzhu/schema";
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

/** A workbook's public view, its canonical JSON and the hash of that; pure, so every instance computes the same. */
export interface ProjectedView {
  readonly view: PublicWorkbook;
  /** `JSON.stringify(view)`. */
  readonly viewJson: string;
  readonly stateHash: string;
}

export function projectWorkbook(workbook: Workbook): ProjectedView {
  const view = publicProjection(workbook);
  const viewJson = publicViewJson(view);
  return { view, viewJson, stateHash: createHash("sha256").update(viewJson).digest("base64url") };
}

/** Builds the version HTTP serves for a view that last changed at `updatedAt`. */
export function createVersion({ view, viewJson, stateHash }: ProjectedView, updatedAt: Date): PublicVersion {
  // Same text as JSON.stringify({ updatedAt, ...view }), without serialising the view again.
  const json = `{"updatedAt":${JSON.stringify(updatedAt.toISOString())},${viewJson.slice(1)}`;
  return { view, stateHash, updatedAt, json, etag: strongEtag(json), pages: new PageCache(view, updatedAt) };
}
