import type { Document, Hocuspocus } from "@hocuspocus/server";

/** A server-side connection to a document (Hocuspocus does not export its class by name). */
export type DirectConnection = Awaited<ReturnType<Hocuspocus["openDirectConnection"]>>;

/**
 * Runs `fn` with a direct connection to a workbook's document (loading it if needed, through the
 * same extensions as a client would), then lets the document go without unloading it at once.
 * `context` becomes the origin's context of every transaction made through the connection.
 */
export async function withDocument<T>(
  hocuspocus: Hocuspocus,
  workbookId: string,
  context: object,
  fn: (connection: DirectConnection, document: Document) => Promise<T> | T,
): Promise<T> {
  const connection = await hocuspocus.openDirectConnection(workbookId, context);
  try {
    return await fn(connection, connection.document as Document);
  } finally {
    await connection.disconnect({ unloadImmediately: false });
  }
}
