import { formatInstantCst } from "@huzhu/schema";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { Modal } from "../ui/Modal.tsx";
import { showToast } from "../ui/toasts.ts";
import { describeError } from "./api-error.ts";
import { type VersionInfo, VersionKind } from "@huzhu/schema";
import { describeActor, describeVersion } from "./history-format.ts";
import { VersionViewer } from "./VersionViewer.tsx";
import type { WorkbookApi } from "./workbook-api.ts";

const KIND_LABELS: Readonly<Record<string, string>> = {
  [VersionKind.named]: "命名版本",
  [VersionKind.auto]: "自动",
  [VersionKind.beforeRestore]: "恢复前",
};

function VersionList(props: { api: WorkbookApi; rowTitle: string | null; onView(version: VersionInfo): void }) {
  const { api } = props;
  const [versions, setVersions] = useState<readonly VersionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    setError(null);
    api.listVersions().then(setVersions, (failure: unknown) => setError(describeError(failure)));
  }, [api]);
  useEffect(load, [load]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || saving) return;
    setSaving(true);
    try {
      const saved = await api.saveVersion(trimmed);
      setName("");
      setVersions((list) => [saved, ...(list ?? [])]);
      showToast(`已保存版本「${saved.name ?? trimmed}」。`);
    } catch (failure) {
      showToast(`保存失败：${describeError(failure)}`, "error");
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="hz-versions">
      <form className="hz-version-save" onSubmit={save}>
        <input
          type="text"
          className="hz-input"
          placeholder="版本名称，例如「4月12日核实前」"
          aria-label="版本名称"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="hz-button is-primary" disabled={!name.trim() || saving}>
          {saving ? "正在保存…" : "保存版本"}
        </button>
      </form>
      <p className="hz-muted hz-versions-hint">
        {props.rowTitle
          ? `查看一个版本，然后可以单独恢复「${props.rowTitle}」这一行，或恢复整个工作簿。`
          : "系统会定时自动保存版本；重要操作前可以手动保存一个命名版本。查看版本后可以恢复整个工作簿或其中一行。"}
      </p>
      {error && (
        <div className="hz-inline-error" role="alert">
          {error}{" "}
          <button type="button" className="hz-link-button" onClick={load}>
            重试
          </button>
        </div>
      )}
      {!versions && !error && (
        <div className="hz-loading-line" role="status">
          <span className="hz-spinner is-small" aria-hidden="true" /> 正在加载…
        </div>
      )}
      {versions && versions.length === 0 && <p className="hz-muted">还没有保存过版本。</p>}
      {versions && versions.length > 0 && (
        <table className="hz-table hz-version-table">
          <thead>
            <tr>
              <th>时间（北京时间）</th>
              <th>名称</th>
              <th>保存人</th>
              <th aria-label="操作" />
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.id} data-version-id={version.id} className={version.kind === VersionKind.named ? "is-named" : undefined}>
                <td className="hz-nowrap">{formatInstantCst(version.createdAt)}</td>
                <td>
                  <span className={`hz-version-kind is-${version.kind}`}>{KIND_LABELS[version.kind] ?? version.kind}</span>
                  {version.kind === VersionKind.named && <span className="hz-version-name">{describeVersion(version)}</span>}
                </td>
                <td>{describeActor(version.createdBy)}</td>
                <td className="hz-cell-actions">
                  <button type="button" className="hz-button is-small" onClick={() => props.onView(version)}>
                    查看
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * 版本: the workbook's automatic and named versions, saving a named one, and viewing one
 * read-only to restore the workbook or a row from it.
 */
export function VersionsDialog(props: {
  api: WorkbookApi;
  /** The row the user came from (restore this row), with its title. */
  focus: { sheetId: string; rowId: string; title: string } | null;
  onClose(): void;
}) {
  const [viewing, setViewing] = useState<number | null>(null);
  return (
    <Modal title={viewing === null ? "版本" : "查看历史版本"} onClose={props.onClose} width={viewing === null ? 640 : 1180}>
      {viewing === null ? (
        <VersionList api={props.api} rowTitle={props.focus?.title ?? null} onView={(version) => setViewing(version.id)} />
      ) : (
        <VersionViewer api={props.api} versionId={viewing} focus={props.focus} onBack={() => setViewing(null)} onClose={props.onClose} />
      )}
    </Modal>
  );
}
