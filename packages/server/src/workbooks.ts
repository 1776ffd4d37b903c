import { TemplateId, createFromTemplate, createWorkbookId, templates } from "@huzhu/schema";
import * as Y from "yjs";
import { z } from "zod";
import { fillSystemFields, rowsLackingSystemFields } from "./case-numbers.ts";
import { publicDocumentName } from "./collab/document-names.ts";
import { issueWorkbookLinks, linkUrl } from "./links.ts";
import { type DocStore, LinkRole } from "./storage/doc-store.ts";

/** Body of `POST /api/workbooks`. Unknown fields are refused so typos don't pass silently. */
export const CreateWorkbookRequest = z.strictObject({
  template: z.enum([TemplateId.shanghaiMedical, TemplateId.blank]),
  title: z.string().trim().min(1).max(200).optional(),
  sampleData: z.boolean().optional(),
});
export type CreateWorkbookRequest = z.infer<typeof CreateWorkbookRequest>;

/** A link as handed to its holder: where it opens and the secret it carries. */
export interface IssuedLinkView {
  /**
   * Where the link opens: `/w/<id>#token=…` for admin and editor links (the token sits in the
   * fragment, so it never reaches logs or a Referer), `/f/<token>` for the form, `/p/<token>` for
   * the public page.
   */
  readonly url: string;
  readonly token: string;
}

/** Answer of `POST /api/workbooks`. */
export interface CreatedWorkbook {
  readonly id: string;
  /** One link per role; their tokens appear in this answer only. */
  readonly links: { readonly [role in LinkRole]: IssuedLinkView };
  readonly collab: {
    readonly url: string;
    /** The editable document (admin and editor links). */
    readonly documentName: string;
    /** The read-only public projection (public links; admins and editors may open it too). */
    readonly publicDocumentName: string;
  };
}

/** Where a workbook's links point. */
export interface WorkbookUrls {
  /** Base of browser links, e.g. https://huzhu.example.org. */
  readonly publicUrl: string;
  /** The WebSocket endpoint providers connect to. */
  readonly collabUrl: string;
}

/** The browser link that opens a workbook with a token. */
export function workbookLinkUrl(publicUrl: string, workbookId: string, token: string): string {
  return linkUrl(publicUrl, LinkRole.editor, workbookId, token);
}

/**
 * Creates a workbook from a template: builds its document, numbers the sample requests, and
 * stores the document, the registry entry and one link per role in one transaction. `body` is
 * validated here (a ZodError says what was wrong), so the HTTP route and callers in code agree.
 */
export async function createWorkbook(store: DocStore, urls: WorkbookUrls, body: unknown): Promise<CreatedWorkbook> {
  const request = CreateWorkbookRequest.parse(body);
  const id = createWorkbookId();
  const now = new Date();
  const ydoc = new Y.Doc();
  try {
    const workbook = createFromTemplate(ydoc, request.template, { title: request.title, sampleData: request.sampleData ?? false });
    const rowIds = rowsLackingSystemFields(workbook);
    const numbers = rowIds.length > 0 ? await store.allocateCaseNumbers(id, rowIds) : [];
    for (const [i, rowId] of rowIds.entries()) fillSystemFields(workbook, rowId, numbers[i] as number, now);
    const issued = issueWorkbookLinks(id, now);
    await store.createWorkbook({
      workbook: { id, title: request.title ?? templates[request.template].title, template: request.template, createdAt: now.toISOString() },
      initialState: Y.encodeStateAsUpdate(ydoc),
      links: Object.values(issued).map((link) => link.record),
    });
    const view = (role: LinkRole): IssuedLinkView => ({
      url: linkUrl(urls.publicUrl, role, id, issued[role].token),
      token: issued[role].token,
    });
    return {
      id,
      links: { admin: view(LinkRole.admin), editor: view(LinkRole.editor), form: view(LinkRole.form), public: view(LinkRole.public) },
      collab: { url: urls.collabUrl, documentName: id, publicDocumentName: publicDocumentName(id) },
    };
  } finally {
    ydoc.destroy();
  }
}
