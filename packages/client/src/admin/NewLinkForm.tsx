import { type FormEvent, useState } from "react";
import { cstInputFromNow } from "../grid/editors/cst-input.ts";
import type { ApiError } from "../history/api-error.ts";
import { EXPIRY_CHOICES, type ExpiryChoice, LABEL_MAX, LinkRole, ROLES, ROLE_INFO, expiryFor } from "./link-format.ts";
import type { CreatedLink, LinksApi } from "./links-api.ts";

/** Placeholder labels per role: a label says who holds the link, and signs every edit made with it. */
const LABEL_HINTS: Readonly<Record<LinkRole, string>> = {
  admin: "如：协调人 · 阿明",
  editor: "如：核实组 · 小王",
  form: "如：求助表单（微信群）",
  public: "如：公开页面（微博）",
};

/** Creates a link: role, label, how long it works. */
export function NewLinkForm({ api, onCreated }: { api: LinksApi; onCreated: (link: CreatedLink) => void }) {
  const [role, setRole] = useState<LinkRole>(LinkRole.editor);
  const [label, setLabel] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("never");
  const [customExpiry, setCustomExpiry] = useState(() => cstInputFromNow(7));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = label.trim();
    if (trimmed === "") return setError("请填写名称，例如「核实组 · 小王」：它会显示在这个链接做的每一处修改上。");
    const expiresAt = expiryFor(expiry, customExpiry);
    if ("error" in expiresAt) return setError(expiresAt.error);
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.create({ role, label: trimmed, expiresAt: expiresAt.expiresAt }));
      setLabel("");
    } catch (failure) {
      setError((failure as ApiError).messageZh ?? String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="hz-admin-card hz-new-link" onSubmit={submit} aria-label="新建链接">
      <h3>新建链接</h3>
      <fieldset className="hz-role-choice">
        <legend>权限</legend>
        {ROLES.map((r) => (
          <label key={r} className={`hz-role-option${role === r ? " is-chosen" : ""}`}>
            <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
            <span className="hz-role-name">{ROLE_INFO[r].label}</span>
            <span className="hz-role-can">{ROLE_INFO[r].can}</span>
          </label>
        ))}
      </fieldset>
      <label className="hz-field">
        <span>名称（显示为修改人）</span>
        <input
          name="label"
          value={label}
          maxLength={LABEL_MAX}
          placeholder={LABEL_HINTS[role]}
          autoComplete="off"
          onChange={(e) => setLabel(e.target.value)}
        />
      </label>
      <div className="hz-field">
        <span id="hz-expiry-label">有效期</span>
        <div className="hz-expiry" role="radiogroup" aria-labelledby="hz-expiry-label">
          {EXPIRY_CHOICES.map((choice) => (
            <label key={choice.id} className={`hz-pill${expiry === choice.id ? " is-chosen" : ""}`}>
              <input type="radio" name="expiry" value={choice.id} checked={expiry === choice.id} onChange={() => setExpiry(choice.id)} />
              {choice.label}
            </label>
          ))}
        </div>
        {expiry === "custom" && (
          <label className="hz-expiry-custom">
            到期时间（北京时间）
            <input type="datetime-local" value={customExpiry} onChange={(e) => setCustomExpiry(e.target.value)} />
          </label>
        )}
      </div>
      {error && (
        <p className="hz-form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="hz-button is-primary" disabled={busy}>
        {busy ? "正在创建…" : "创建链接"}
      </button>
    </form>
  );
}
