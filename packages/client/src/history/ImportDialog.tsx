import { useEffect, useRef, useState } from "react";
import { Modal } from "../ui/Modal.tsx";
import { describeError } from "./api-error.ts";
import type { ImportPreview, ImportResult } from "./api-types.ts";
import type { ImportIssue } from "@huzhu/schema";
import {
  type MappingState,
  columnLetter,
  createMappingState,
  describePlan,
  mappableColumns,
  mappingRequest,
  setMappingTarget,
} from "./import-mapping.ts";
import type { UploadProgress, WorkbookApi } from "./workbook-api.ts";

/** What the server is doing with the file right now. */
interface Busy {
  readonly what: "preview" | "apply";
  readonly progress: UploadProgress | null;
}

const ACCEPT = ".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const SAMPLE_VALUES = 2;

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function ProgressView({ busy, fileSize }: { busy: Busy; fileSize: number }) {
  const progress = busy.progress;
  if (progress?.phase === "uploading") {
    const total = progress.total || fileSize || 1;
    const percent = Math.min(100, Math.round((progress.loaded / total) * 100));
    return (
      <div className="hz-upload-progress" role="status" aria-live="polite">
        <div className="hz-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="上传进度">
          <div className="hz-progress-bar" style={{ width: `${percent}%` }} />
        </div>
        <span>
          正在上传 {percent}%（{sizeText(progress.loaded)} / {sizeText(total)}）
        </span>
      </div>
    );
  }
  return (
    <div className="hz-upload-progress" role="status" aria-live="polite">
      <span className="hz-spinner is-small" aria-hidden="true" />
      <span>{busy.what === "apply" ? "正在导入，请稍候…" : "正在读取和检查文件…"}</span>
    </div>
  );
}

function IssueTable({ issues, total, kind }: { issues: readonly ImportIssue[]; total: number; kind: "error" | "warning" }) {
  return (
    <div className={`hz-issues is-${kind}`}>
      <table className="hz-table">
        <thead>
          <tr>
            <th>行</th>
            <th>列</th>
            <th>内容</th>
            <th>{kind === "error" ? "问题" : "提醒"}</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((issue) => (
            <tr key={`${issue.row}:${issue.fileColumn}:${issue.code}`} data-row={issue.row}>
              <td className="hz-nowrap">第 {issue.row} 行</td>
              <td className="hz-nowrap">
                {issue.fileColumn} 列{issue.header ? `「${issue.header}」` : ""}
              </td>
              <td className="hz-issue-value">{issue.value || "（空）"}</td>
              <td>{issue.messageZh}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > issues.length && <p className="hz-muted">另有 {total - issues.length} 处未列出。</p>}
    </div>
  );
}

function MappingTable(props: {
  preview: ImportPreview;
  mapping: MappingState;
  disabled: boolean;
  onChange(index: number, target: string | null): void;
}) {
  const { preview, mapping } = props;
  const columns = mappableColumns(preview.sheet.columns);
  const samples = (index: number) =>
    preview.file.sample
      .map((row) => (row[index] ?? "").trim())
      .filter(Boolean)
      .slice(0, SAMPLE_VALUES);
  return (
    <table className="hz-table hz-mapping-table">
      <thead>
        <tr>
          <th>文件中的列</th>
          <th>示例</th>
          <th>导入到</th>
        </tr>
      </thead>
      <tbody>
        {mapping.headers.map((header, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: file columns are identified by position.
          <tr key={index} data-file-column={index}>
            <td className="hz-nowrap">
              <span className="hz-column-letter">{columnLetter(index)}</span> {header || <span className="hz-muted">（无标题）</span>}
            </td>
            <td className="hz-mapping-sample">{samples(index).join(" · ") || <span className="hz-muted">（空）</span>}</td>
            <td>
              <select
                className="hz-select"
                aria-label={`「${header || columnLetter(index)}」导入到`}
                value={mapping.targets[index] ?? ""}
                disabled={props.disabled}
                onChange={(e) => props.onChange(index, e.target.value === "" ? null : e.target.value)}
              >
                <option value="">不导入</option>
                {columns.map((column) => (
                  <option key={column.id} value={column.id}>
                    {column.label}
                    {column.required ? " *" : ""}
                    {column.private ? "（隐私）" : ""}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * 导入: a CSV or XLSX file into the current sheet. The server reads and checks the file and
 * proposes which sheet column each file column fills; the user adjusts the mapping, sees every
 * problem per row in Chinese and how many rows will be added, and only 确认导入 changes the sheet
 * (the server plans again from the file).
 */
export function ImportDialog(props: { api: WorkbookApi; sheetId: string; sheetName: string; onClose(): void }) {
  const { api, sheetId } = props;
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<MappingState | null>(null);
  const [worksheet, setWorksheet] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const generation = useRef(0);

  useEffect(() => () => abort.current?.abort(), []);

  const check = async (chosen: File, options: { mapping?: MappingState; worksheet?: string | undefined }) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const mine = ++generation.current;
    setError(null);
    setBusy({ what: "preview", progress: null });
    try {
      const answer = await api.previewImport({
        file: chosen,
        sheetId,
        ...(options.mapping ? { mapping: mappingRequest(options.mapping) } : {}),
        ...(options.worksheet ? { worksheet: options.worksheet } : {}),
        signal: controller.signal,
        onProgress: (progress) => mine === generation.current && setBusy({ what: "preview", progress }),
      });
      if (mine !== generation.current) return;
      setPreview(answer);
      setMapping(createMappingState(answer.file.headers, answer.mapping));
      setWorksheet(answer.file.worksheet ?? undefined);
      setBusy(null);
    } catch (failure) {
      if (mine !== generation.current) return;
      setBusy(null);
      setError(describeError(failure));
    }
  };

  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    setFile(chosen);
    setPreview(null);
    setMapping(null);
    setWorksheet(undefined);
    void check(chosen, {});
  };

  const apply = async () => {
    if (!file || !mapping) return;
    const mine = ++generation.current;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setBusy({ what: "apply", progress: null });
    try {
      const answer = await api.applyImport({
        file,
        sheetId,
        mapping: mappingRequest(mapping),
        ...(worksheet ? { worksheet } : {}),
        signal: controller.signal,
        onProgress: (progress) => mine === generation.current && setBusy({ what: "apply", progress }),
      });
      if (mine !== generation.current) return;
      setResult(answer);
      setBusy(null);
    } catch (failure) {
      if (mine !== generation.current) return;
      setBusy(null);
      setError(`导入失败，表格没有改变：${describeError(failure)}`);
    }
  };

  const cancelUpload = () => {
    generation.current++;
    abort.current?.abort();
    setBusy(null);
  };

  const plan = preview?.plan;
  const fileInput = (
    <input
      ref={input}
      type="file"
      accept={ACCEPT}
      className="hz-visually-hidden"
      aria-label="选择要导入的文件"
      onChange={(e) => choose(e.target.files?.[0])}
    />
  );

  if (result) {
    return (
      <Modal title="导入完成" onClose={props.onClose} width={460}>
        <div className="hz-import-done" role="status">
          <p className="hz-import-big">
            已导入 <strong data-imported={result.imported}>{result.imported}</strong> 行到「{props.sheetName}」。
          </p>
          {result.plan.invalidRowCount > 0 && (
            <p className="hz-muted">{result.plan.invalidRowCount} 行因有错误没有导入，可修改文件后再导入这些行。</p>
          )}
          <p className="hz-muted">新行已出现在表格末尾，所有协作者都能看到；如需撤回，可在「版本」中恢复导入前的版本。</p>
          <div className="hz-modal-actions">
            <button type="button" className="hz-button is-primary" onClick={props.onClose}>
              完成
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={`导入到「${props.sheetName}」`} onClose={props.onClose} width={880}>
      <div className="hz-import" aria-busy={busy !== null}>
        {fileInput}
        <div className="hz-import-file">
          <button type="button" className="hz-button" disabled={busy?.what === "apply"} onClick={() => input.current?.click()}>
            {file ? "重新选择文件" : "选择文件…"}
          </button>
          {file ? (
            <span className="hz-import-file-name">
              {file.name} <span className="hz-muted">（{sizeText(file.size)}）</span>
            </span>
          ) : (
            <span className="hz-muted">支持 CSV（UTF-8 或 GBK 编码）和 Excel（.xlsx）文件，第一行为列标题，最大 10 MB。</span>
          )}
        </div>

        {busy && file && (
          <div className="hz-import-busy">
            <ProgressView busy={busy} fileSize={file.size} />
            {busy.what === "preview" && (
              <button type="button" className="hz-link-button" onClick={cancelUpload}>
                取消上传
              </button>
            )}
          </div>
        )}
        {error && (
          <div className="hz-inline-error" role="alert">
            {error}
          </div>
        )}

        {preview && mapping && plan && (
          <div className={`hz-import-preview${busy ? " is-stale" : ""}`}>
            <p className="hz-muted hz-import-facts">
              {preview.file.format === "xlsx" ? "Excel 文件" : `CSV 文件（${preview.file.encoding?.toUpperCase() ?? "未知编码"}）`}，共{" "}
              {preview.file.rowCount} 行数据。
              {preview.file.worksheets && preview.file.worksheets.length > 1 && (
                <label className="hz-import-worksheet">
                  工作表：
                  <select
                    className="hz-select"
                    value={worksheet ?? ""}
                    disabled={busy !== null}
                    onChange={(e) => {
                      setWorksheet(e.target.value);
                      if (file) void check(file, { worksheet: e.target.value });
                    }}
                  >
                    {preview.file.worksheets.map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </p>
            <h3 className="hz-import-heading">列的对应关系</h3>
            <MappingTable
              preview={preview}
              mapping={mapping}
              disabled={busy !== null}
              onChange={(index, target) => {
                const next = setMappingTarget(mapping, index, target);
                setMapping(next);
                if (file) void check(file, { mapping: next, worksheet });
              }}
            />
            <div className={`hz-import-summary${plan.validRowCount === 0 ? " is-empty" : ""}`} data-valid-rows={plan.validRowCount}>
              <p className="hz-import-big">
                将添加 <strong>{plan.validRowCount}</strong> 行到「{preview.sheet.name}」
              </p>
              <ul>
                {describePlan(plan, preview.sheet.columns).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
            {plan.errors.length > 0 && (
              <>
                <h3 className="hz-import-heading is-error">错误（这些行不会导入）</h3>
                <IssueTable issues={plan.errors} total={plan.errorCount} kind="error" />
              </>
            )}
            {plan.warnings.length > 0 && (
              <details className="hz-import-warnings">
                <summary>提醒：{plan.warningCount} 处必填项为空（仍会导入）</summary>
                <IssueTable issues={plan.warnings} total={plan.warningCount} kind="warning" />
              </details>
            )}
          </div>
        )}

        <div className="hz-modal-actions">
          <span className="hz-muted hz-import-note">{preview ? "确认之前，表格不会有任何改变。" : ""}</span>
          <button type="button" className="hz-button" onClick={props.onClose} disabled={busy?.what === "apply"}>
            取消
          </button>
          <button
            type="button"
            className="hz-button is-primary"
            disabled={!plan || plan.validRowCount === 0 || busy !== null}
            onClick={() => void apply()}
          >
            {busy?.what === "apply" ? "正在导入…" : plan ? `确认导入 ${plan.validRowCount} 行` : "确认导入"}
          </button>
        </div>
      </div>
    </Modal>
  );
}
