import type { Extension, onAuthenticatePayload } from "@hocuspocus/server";
import { type CollabContext, CollabCloseCode, CollabRefusal } from "../collab/context.ts";
import { DocumentKind, parseDocumentName } from "../collab/document-names.ts";
import { verifyLink } from "../links.ts";
import { type DocStore, LinkRole } from "../storage/doc-store.ts";

/** Configuration of the auth extension. */
export interface AuthConfiguration {
  readonly store: DocStore;
  /** Clock for link expiry, replaceable in tests. */
  readonly now?: () => Date;
}

/** Roles that may open each kind of document. Form links open neither: they only submit requests. */
const ALLOWED_ROLES: Readonly<Record<DocumentKind, ReadonlySet<string>>> = {
  // The editable workbook; what each of these roles may write is the write guard's concern.
  workbook: new Set([LinkRole.admin, LinkRole.editor]),
  // The public projection, read-only for everyone (admins and editors may preview it).
  public: new Set([LinkRole.public, LinkRole.admin, LinkRole.editor]),
};

/**
 * Lets a connection open a document only with a valid link for that workbook. The document name
 * is checked against the allow-list (`<workbook id>` or `<workbook id>.public`) before anything
 * reaches storage, so a crafted name can neither create a row nor be used as a path. Form and
 * public links never open the editable document; the public projection is opened read-only. On
 * success the link's identity goes on the context.
 */
export class Auth implements Extension {
  readonly extensionName = "huzhu-auth";
  // Runs before every other extension's onAuthenticate and load.
  readonly priority = 1000;
  private readonly configuration: Required<AuthConfiguration>;

  constructor(configuration: AuthConfiguration) {
    this.configuration = { now: () => new Date(), ...configuration };
  }

  async onAuthenticate({ documentName, token, connectionConfig }: onAuthenticatePayload): Promise<CollabContext> {
    const parsed = parseDocumentName(documentName);
    if (!parsed) {
      throw new CollabRefusal(
        CollabCloseCode.badRequest,
        "invalid-document-name",
        "document names are a workbook id (16 characters of a-z and 2-7), optionally followed by .public",
      );
    }
    const result = await verifyLink(this.configuration.store, parsed.workbookId, token ?? "", this.configuration.now());
    if (!result.ok) throw new CollabRefusal(CollabCloseCode.unauthorized, result.refusal);
    const { link } = result;
    if (!ALLOWED_ROLES[parsed.kind].has(link.role)) {
      throw new CollabRefusal(CollabCloseCode.forbidden, "role-not-allowed", `a ${link.role} link may not open this document`);
    }
    connectionConfig.readOnly = parsed.kind === DocumentKind.public;
    return { role: link.role, label: link.label, color: link.color, linkId: link.id, workbookId: link.workbookId };
  }
}
