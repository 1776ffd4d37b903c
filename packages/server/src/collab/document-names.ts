import { isWorkbookId } from "@huzhu/schema";

/** Suffix of a workbook's public projection document: `<workbook id>.public`. */
export const PUBLIC_SUFFIX = ".public";

/** What a document name refers to: the editable workbook, or its public projection. */
export const DocumentKind = { workbook: "workbook", public: "public" } as const;
export type DocumentKind = (typeof DocumentKind)[keyof typeof DocumentKind];

/** A document name that passed the allow-list. */
export interface ParsedDocumentName {
  readonly workbookId: string;
  readonly kind: DocumentKind;
}

/**
 * The document-name allow-list: a workbook id (16 characters of a–z2–7), optionally followed by
 * `.public`. Anything else is undefined, before any storage is touched.
 */
export function parseDocumentName(name: string): ParsedDocumentName | undefined {
  if (isWorkbookId(name)) return { workbookId: name, kind: DocumentKind.workbook };
  if (name.endsWith(PUBLIC_SUFFIX)) {
    const workbookId = name.slice(0, -PUBLIC_SUFFIX.length);
    if (isWorkbookId(workbookId)) return { workbookId, kind: DocumentKind.public };
  }
  return undefined;
}

/** The name of a workbook's public projection document. */
export function publicDocumentName(workbookId: string): string {
  return `${workbookId}${PUBLIC_SUFFIX}`;
}

/** Whether a (validated) document name is a public projection, which is derived and never stored. */
export function isPublicDocumentName(name: string): boolean {
  return parseDocumentName(name)?.kind === DocumentKind.public;
}
