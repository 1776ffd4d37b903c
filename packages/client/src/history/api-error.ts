/** A request to the server that failed, with the sentence to show a volunteer. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's stable error code (`invalid_cell`, `file_too_large` …), or `network`. */
  readonly code: string;
  readonly messageZh: string;
  constructor(status: number, code: string, message: string, messageZh: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.messageZh = messageZh;
  }
}

/** The server's one error shape: `{"error":{"code","message","messageZh"?}}`. */
function readErrorBody(body: unknown): { code: string; message: string; messageZh: string | null } {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== "object" || error === null) return { code: "unknown", message: "", messageZh: null };
  const { code, message, messageZh } = error as Record<string, unknown>;
  return {
    code: typeof code === "string" ? code : "unknown",
    message: typeof message === "string" ? message : "",
    messageZh: typeof messageZh === "string" && messageZh !== "" ? messageZh : null,
  };
}

/** What a status means to a volunteer when the server gave no Chinese message of its own. */
function sentenceFor(status: number, code: string): string {
  if (status === 401) return "此链接无效、已过期或已被撤销，请向协调人索取新的链接。";
  if (status === 403) return "此链接没有权限进行这个操作。";
  if (status === 404) return "找不到要操作的内容，它可能已被删除。";
  if (status === 413) return "文件太大，无法处理。";
  if (status === 503 || code === "storage_failed") return "服务器暂时无法保存，请稍后重试。";
  if (status === 400) return "请求的内容不正确，请检查后重试。";
  if (status >= 500) return `服务器出错了（${status}），请稍后重试。`;
  return `操作失败（${status}）。`;
}

/** Turns a failed answer (status and parsed JSON body, if any) into an ApiError. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const { code, message, messageZh } = readErrorBody(body);
  return new ApiError(status, code, message || `HTTP ${status}`, messageZh ?? sentenceFor(status, code));
}

/** The error for a request that never got an answer. */
export function networkError(cause: unknown): ApiError {
  return new ApiError(0, "network", String(cause), "无法连接服务器，请检查网络后重试。");
}

/** The sentence to show for any error a request may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.messageZh;
  return `出现了意外错误：${error instanceof Error ? error.message : String(error)}`;
}
