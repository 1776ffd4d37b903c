import { ApiError, apiErrorOf, networkError } from "./api-error.ts";
import type { ImportMapping, ImportPreview, ImportResult, PurgeResult, RestoreResult, VersionView } from "./api-types.ts";
import type { HistoryPage, VersionInfo } from "@huzhu/schema";
import { fileNameFromDisposition } from "./download.ts";

/** Where an upload stands: bytes sent so far, then the server working on it. */
export type UploadProgress =
  | { readonly phase: "uploading"; readonly loaded: number; readonly total: number }
  | { readonly phase: "processing" };

/** What to restore from a version: everything, or one row. */
export type RestoreScope = { readonly sheetId?: string; readonly rowId?: string };

/** An import request: the file, the sheet it goes into and, once the user chose, the mapping. */
export interface ImportRequest {
  readonly file: File;
  readonly sheetId: string;
  readonly mapping?: ImportMapping;
  /** The worksheet of an XLSX file; default its first visible one. */
  readonly worksheet?: string;
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly signal?: AbortSignal;
}

/** A downloaded export. */
export interface ExportedFile {
  readonly blob: Blob;
  readonly fileName: string;
}

/** The workbook's HTTP API for history, versions, import, export and purge, with the link's token. */
export interface WorkbookApi {
  readonly workbookId: string;
  rowHistory(sheetId: string, rowId: string, options?: { before?: number; limit?: number }): Promise<HistoryPage>;
  listVersions(): Promise<readonly VersionInfo[]>;
  saveVersion(name: string): Promise<VersionInfo>;
  viewVersion(versionId: number): Promise<VersionView>;
  restoreVersion(versionId: number, scope: RestoreScope): Promise<RestoreResult>;
  exportFile(format: "csv" | "xlsx", sheetId?: string): Promise<ExportedFile>;
  previewImport(request: ImportRequest): Promise<ImportPreview>;
  applyImport(request: ImportRequest): Promise<ImportResult>;
  purgeRow(sheetId: string, rowId: string): Promise<PurgeResult>;
}

async function readJsonBody(response: Response): Promise<unknown> {
  return response.json().catch(() => null);
}

/** Sends a form with XMLHttpRequest, the one browser API that reports upload progress. */
function postForm(url: string, token: string, form: FormData, request: ImportRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      request.onProgress?.({ phase: "uploading", loaded: event.loaded, total: event.lengthComputable ? event.total : request.file.size });
    };
    // Everything is sent; the server now reads and checks the file.
    xhr.upload.onload = () => request.onProgress?.({ phase: "processing" });
    xhr.onerror = () => reject(networkError("upload failed"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "upload cancelled", "已取消。"));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(apiErrorOf(xhr.status, body));
    };
    request.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

function importForm(request: ImportRequest): FormData {
  const form = new FormData();
  form.set("sheet", request.sheetId);
  if (request.mapping) form.set("mapping", JSON.stringify(request.mapping));
  if (request.worksheet) form.set("worksheet", request.worksheet);
  // The file last, so the fields are read before the bulk of the body.
  form.set("file", request.file, request.file.name);
  return form;
}

/** The API of one workbook, authenticated with the link's token (`Authorization: Bearer`). */
export function createWorkbookApi(
  link: { workbookId: string; token: string },
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): WorkbookApi {
  const base = `/api/workbooks/${encodeURIComponent(link.workbookId)}`;
  const auth = { Authorization: `Bearer ${link.token}` };

  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
    } catch (error) {
      throw networkError(error);
    }
    if (!response.ok) throw apiErrorOf(response.status, await readJsonBody(response));
    return response;
  }
  async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await send(path, init)).json()) as T;
  }
  const post = <T>(path: string, body?: unknown) =>
    json<T>(path, {
      method: "POST",
      ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    });
  const segment = encodeURIComponent;

  return {
    workbookId: link.workbookId,
    rowHistory(sheetId, rowId, options = {}) {
      const query = new URLSearchParams();
      if (options.before !== undefined) query.set("before", String(options.before));
      if (options.limit !== undefined) query.set("limit", String(options.limit));
      const suffix = query.size > 0 ? `?${query}` : "";
      return json<HistoryPage>(`/rows/${segment(sheetId)}/${segment(rowId)}/history${suffix}`);
    },
    async listVersions() {
      return (await json<{ versions: VersionInfo[] }>("/versions")).versions;
    },
    saveVersion: (name) => post<VersionInfo>("/versions", { name }),
    viewVersion: (versionId) => json<VersionView>(`/versions/${versionId}`),
    restoreVersion: (versionId, scope) => post<RestoreResult>(`/versions/${versionId}/restore`, scope),
    async exportFile(format, sheetId) {
      const query = sheetId ? `?sheet=${segment(sheetId)}` : "";
      const response = await send(`/export.${format}${query}`);
      const blob = await response.blob();
      return { blob, fileName: fileNameFromDisposition(response.headers.get("Content-Disposition"), `huzhu-export.${format}`) };
    },
    previewImport: (request) => postForm(`${base}/import/preview`, link.token, importForm(request), request) as Promise<ImportPreview>,
    applyImport: (request) => postForm(`${base}/import/apply`, link.token, importForm(request), request) as Promise<ImportResult>,
    purgeRow: (sheetId, rowId) => post<PurgeResult>(`/rows/${segment(sheetId)}/${segment(rowId)}/purge`, { scope: "private" }),
  };
}
