import type { CellValue, ChatGroupLink, Row } from "@huzhu/schema";
import { parseSafeUrl } from "@huzhu/schema";
import type { CustomCellEditorProps } from "ag-grid-react";
import { useRef, useState } from "react";
import type { ColumnParams } from "../column-defs.ts";
import { cstInputFromNow, fromCstInput, toCstInput } from "./cst-input.ts";
import { useEditorFocus } from "./use-editor-focus.ts";

type Props = CustomCellEditorProps<Row, CellValue> & ColumnParams;

// WeChat group QR codes stop working seven days after they are generated.
const WECHAT_QR_DAYS = 7;

/** Edits a chat-group link: the invitation URL and when it expires. */
export function ChatGroupEditor({ column, value, onValueChange, stopEditing }: Props) {
  const initial = value && typeof value === "object" ? (value as ChatGroupLink) : null;
  const [url, setUrl] = useState(initial?.url ?? "");
  const [expires, setExpires] = useState(toCstInput(initial?.expiresAt ?? null));
  const ref = useRef<HTMLInputElement>(null);
  useEditorFocus(ref);
  const emit = (nextUrl: string, nextExpires: string) => {
    onValueChange(nextUrl.trim() === "" ? null : { url: nextUrl.trim(), expiresAt: nextExpires ? fromCstInput(nextExpires) : null });
  };
  const badUrl = url.trim() !== "" && parseSafeUrl(url) === null;
  return (
    <div className="hz-popup-editor hz-chat-editor">
      <div className="hz-popup-title">{column.label}</div>
      <label className="hz-field">
        <span>群聊邀请链接</span>
        <input
          ref={ref}
          className={`hz-editor-input${badUrl ? " is-invalid" : ""}`}
          type="url"
          placeholder="https://…"
          value={url}
          onChange={(event) => {
            setUrl(event.target.value);
            emit(event.target.value, expires);
          }}
        />
      </label>
      {badUrl && <div className="hz-popup-hint is-error">需要以 http 或 https 开头的网址</div>}
      <label className="hz-field">
        <span>有效期至（北京时间，可不填）</span>
        <input
          className="hz-editor-input"
          type="datetime-local"
          value={expires}
          onChange={(event) => {
            setExpires(event.target.value);
            emit(url, event.target.value);
          }}
        />
      </label>
      <div className="hz-popup-actions">
        <button
          type="button"
          onClick={() => {
            const next = cstInputFromNow(WECHAT_QR_DAYS);
            setExpires(next);
            emit(url, next);
          }}
        >
          {WECHAT_QR_DAYS} 天后到期（微信群码）
        </button>
        <button type="button" className="is-primary" onClick={() => stopEditing()}>
          确定
        </button>
      </div>
    </div>
  );
}
