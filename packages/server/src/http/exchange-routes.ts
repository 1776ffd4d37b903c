import type { IncomingMessage, ServerResponse } from "node:http";
import type { Document, Hocuspocus } from "@hocuspocus/server";
import { type Workbook, applyProjection, openWorkbook, publicProjection } from "@huzhu/schema";
import * as Y from "yjs";
import { z } from "zod";
import { numberNewRows } from "../case-numbers.ts";
import { ExportContentType, type ExportFormat, contentDisposition, exportFileName } from "../exchange/download.ts";
import type { ExchangeError } from "../exchange/errors.ts";
import { readGridSheet } from "../exchange/export-cells.ts";
import { exportSheetCsv } from "../exchange/export-csv.ts";
import type { ImportTable } from "../exchange/import-table.ts";
import { DEFAULT_IMPORT_LIMITS } from "../exchange/limits.ts";
import { type ImportMapping, isImportable, suggestMapping } from "../exchange/mapping.ts";
import { type ImportPlan, applyImport, planImport } from "../exchange/plan-import.ts";
import { linkWrite } from "../history/attribution.ts";
import { withDocument } from "../history/documents.ts";
import { LinkRole } from "../storage/doc-store.ts";
import { type AccessDependencies, EDITING_ROLES, authorize } from "./access.ts";
import { HttpError, sendJson } from "./errors.ts";
import { readBody } from "./request.ts";
import type { Route } from "./router.ts";

/** What the import and export routes need. */
export interface ExchangeRouteDependencies extends AccessDependencies {
  readonly hocuspocus: Hocuspocus;
  /** Whether a document's writes reached storage (the persistence extension). */
  readonly whenStored: (document: Document) => Promise<boolean>;
}

// exceljs takes about a second to load: the XLSX reader and writer are loaded on first use, not
// at every start (a restart after a crash should be quick).
const loadXlsxExport = () => import("../exchange/export-xlsx.ts");
const loadImportReader = () => import("../exchange/read-import-file.ts");

/** Rows of the file echoed back by a preview, so the user recognises it. */
const SAMPLE_ROWS = 10;
/** Room for multipart framing and the other fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** An upload, as either multipart/form-data (field `file`) or the file as the raw body. */
interface Upload {
  readonly bytes: Uint8Array;
  readonly filename: string;
  /** Form fields, or the query string for a raw body. */
  readonly fields: (name: string) => string | undefined;
}

function isExchangeError(error: unknown): error is ExchangeError {
  return error instanceof Error && error.name === "ExchangeError";
}

function fromExchange(error: ExchangeError): HttpError {
  return new HttpError(error.status, error.code, error.message, { messageZh: error.messageZh });
}

/** 413 file_too_large, in both languages, for an upload over `limit` bytes. */
function uploadTooLarge(limit: number): () => HttpError {
  const mib = Math.floor(limit / 1024 / 1024);
  return () => new HttpError(413, "file_too_large", `uploads are limited to ${mib} MiB`, { messageZh: `文件不能超过 ${mib} MiB` });
}

async function readUpload(req: IncomingMessage, url: URL): Promise<Upload> {
  const type = req.headers["content-type"] ?? "";
  const maxBytes = DEFAULT_IMPORT_LIMITS.maxBytes;
  if (/^multipart\/form-data/i.test(type)) {
    const body = await readBody(req, maxBytes + MULTIPART_OVERHEAD, uploadTooLarge(maxBytes));
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": type } }).formData();
    } catch {
      throw new HttpError(400, "invalid_body", "the multipart body could not be read");
    }
    const file = form.get("file");
    if (!(file instanceof Blob)) throw new HttpError(400, "invalid_body", "send the file in the multipart field `file`", { field: "file" });
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : undefined;
    };
    return {
      bytes: new Uint8Array(await file.arrayBuffer()),
      filename: file instanceof File && file.name ? file.name : "upload",
      fields: field,
    };
  }
  const bytes = await readBody(req, maxBytes + 1, uploadTooLarge(maxBytes));
  let filename = url.searchParams.get("filename") ?? "upload";
  const header = req.headers["x-filename"];
  if (typeof header === "string") {
    try {
      filename = decodeURIComponent(header);
    } catch {
      throw new HttpError(400, "bad_request", "X-Filename must be percent-encoded UTF-8");
    }
  }
  return {
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    filename,
    fields: (name) => url.searchParams.get(name) ?? undefined,
  };
}

const MappingSchema = z.record(z.string().regex(/^\d+$/, "file column indexes"), z.string().max(64).nullable());

function readMapping(text: string | undefined): ImportMapping | undefined {
  if (text === undefined || text === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_body", "mapping must be a JSON object of file column index → column id or null", {
      field: "mapping",
    });
  }
  const result = MappingSchema.safeParse(parsed);
  if (!result.success)
    throw new HttpError(400, "invalid_body", `mapping: ${result.error.issues[0]?.message ?? "invalid"}`, { field: "mapping" });
  return result.data as ImportMapping;
}

/** Reads the uploaded file and the import's settings; nothing is changed. */
async function readImport(upload: Upload): Promise<{ table: ImportTable; sheetId: string; mapping: ImportMapping | undefined }> {
  const sheetId = upload.fields("sheet") ?? upload.fields("sheetId");
  if (!sheetId) throw new HttpError(400, "invalid_body", "name the sheet to import into (sheet)", { field: "sheet" });
  const headerRow = Number(upload.fields("headerRow") ?? 1);
  const worksheet = upload.fields("worksheet");
  try {
    const { readImportFile } = await loadImportReader();
    const table = await readImportFile(upload.bytes, upload.filename, {
      headerRow: Number.isFinite(headerRow) ? headerRow : 1,
      ...(worksheet ? { sheetName: worksheet } : {}),
    });
    return { table, sheetId, mapping: readMapping(upload.fields("mapping")) };
  } catch (error) {
    throw isExchangeError(error) ? fromExchange(error) : error;
  }
}

function planSummary(plan: ImportPlan) {
  const { validRows: _rows, validRowNumbers: _numbers, ...rest } = plan;
  return { validRowCount: plan.validRows.length, ...rest };
}

function exchanging<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw isExchangeError(error) ? fromExchange(error) : error;
  }
}

function sendFile(res: ServerResponse, format: ExportFormat, fileName: string, body: string | Uint8Array): void {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(200, {
    "Content-Type": ExportContentType[format],
    "Content-Disposition": contentDisposition(fileName),
    "Content-Length": bytes.byteLength,
    "Cache-Control": "no-store",
  });
  res.end(res.req.method === "HEAD" ? undefined : bytes);
}

/** What a caller may export: editors everything, public links the public projection only. */
function exportableWorkbook(workbook: Workbook, role: LinkRole): { workbook: Workbook; includePrivate: boolean; dispose: () => void } {
  if (role === LinkRole.admin || role === LinkRole.editor) return { workbook, includePrivate: true, dispose: () => {} };
  const projected = new Y.Doc();
  applyProjection(publicProjection(workbook), projected);
  return { workbook: openWorkbook(projected), includePrivate: false, dispose: () => projected.destroy() };
}

/**
 * Export (CSV of one sheet, XLSX of one sheet or the whole workbook) and import (preview, then
 * apply). Export: admin and editor links get private columns (unless `private=0`), public links
 * the public view only, form links nothing. Import: admin and editor links; the file is read and
 * planned again on apply, never a plan sent back by the client.
 */
export function exchangeRoutes(deps: ExchangeRouteDependencies): Route[] {
  const exportRoute = (format: ExportFormat): Route => ({
    method: "GET",
    path: `/api/workbooks/:id/export.${format}`,
    async handle({ req, res, params, url }) {
      const workbookId = params["id"] ?? "";
      const caller = await authorize(deps, req, workbookId, [...EDITING_ROLES, LinkRole.public]);
      const sheetId = url.searchParams.get("sheet") ?? undefined;
      if (format === "csv" && !sheetId) throw new HttpError(400, "bad_request", "CSV exports one sheet: add ?sheet=<sheet id>");
      const { body, fileName } = await withDocument(
        deps.hocuspocus,
        workbookId,
        linkWrite(caller.label, "export"),
        async (_c, document) => {
          const target = exportableWorkbook(openWorkbook(document), caller.role);
          try {
            const includePrivate = target.includePrivate && url.searchParams.get("private") !== "0";
            const title = target.workbook.readMeta().title;
            if (format === "csv") {
              const csv = exchanging(() => exportSheetCsv(target.workbook, sheetId as string, { includePrivate }));
              const name = exchanging(() => readGridSheet(target.workbook, sheetId as string)).name;
              return { body: csv as string | Uint8Array, fileName: exportFileName(title, name, "csv") };
            }
            if (sheetId) exchanging(() => readGridSheet(target.workbook, sheetId));
            const { exportWorkbookXlsx } = await loadXlsxExport();
            const xlsx = await exportWorkbookXlsx(target.workbook, { includePrivate, ...(sheetId ? { sheetIds: [sheetId] } : {}) });
            return { body: xlsx, fileName: exportFileName(title, null, "xlsx") };
          } finally {
            target.dispose();
          }
        },
      );
      sendFile(res, format, fileName, body);
    },
  });

  return [
    exportRoute("csv"),
    exportRoute("xlsx"),
    {
      method: "POST",
      path: "/api/workbooks/:id/import/preview",
      async handle({ req, res, params, url }) {
        const workbookId = params["id"] ?? "";
        const caller = await authorize(deps, req, workbookId, EDITING_ROLES);
        const { table, sheetId, mapping } = await readImport(await readUpload(req, url));
        const answer = await withDocument(deps.hocuspocus, workbookId, linkWrite(caller.label, "import-preview"), (_c, document) =>
          exchanging(() => {
            const workbook = openWorkbook(document);
            const sheet = readGridSheet(workbook, sheetId);
            const suggested = suggestMapping(table, sheet);
            const used = mapping ?? suggested;
            return {
              file: {
                format: table.format,
                encoding: table.encoding,
                delimiter: table.delimiter,
                worksheet: table.sheetName ?? null,
                worksheets: table.sheetNames ?? null,
                headerRow: table.headerRowNumber,
                headers: table.headers,
                rowCount: table.rows.length,
                sample: table.rows.slice(0, SAMPLE_ROWS),
              },
              sheet: {
                id: sheet.id,
                name: sheet.name,
                columns: sheet.columns.map((column) => ({
                  id: column.id,
                  label: column.label,
                  type: column.type,
                  required: column.required,
                  private: column.private,
                  importable: isImportable(column),
                })),
              },
              suggestedMapping: suggested,
              mapping: used,
              plan: planSummary(planImport(workbook, sheet.id, table, used)),
            };
          }),
        );
        sendJson(res, 200, answer);
      },
    },
    {
      method: "POST",
      path: "/api/workbooks/:id/import/apply",
      async handle({ req, res, params, url }) {
        const workbookId = params["id"] ?? "";
        const caller = await authorize(deps, req, workbookId, EDITING_ROLES);
        const { table, sheetId, mapping } = await readImport(await readUpload(req, url));
        const answer = await withDocument(deps.hocuspocus, workbookId, linkWrite(caller.label, "import"), async (connection, document) => {
          const plan = exchanging(() => {
            const workbook = openWorkbook(document);
            return planImport(workbook, sheetId, table, mapping ?? suggestMapping(table, readGridSheet(workbook, sheetId)));
          });
          const now = deps.now?.() ?? new Date();
          const numbered = await numberNewRows(deps.store, workbookId, openWorkbook(document), sheetId, plan.validRows.length, now);
          let rowIds: string[] = [];
          await connection.transact((doc) => {
            rowIds = exchanging(() => applyImport(openWorkbook(doc), sheetId, plan, numbered));
          });
          if (!(await deps.whenStored(document))) throw new HttpError(503, "storage_failed", "the import could not be stored; try again");
          return { imported: rowIds.length, rowIds, plan: planSummary(plan) };
        });
        sendJson(res, 200, answer);
      },
    },
  ];
}
