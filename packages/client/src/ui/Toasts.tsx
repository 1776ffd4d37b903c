import { useStore } from "../lib/store.ts";
import { dismissToast, toasts } from "./toasts.ts";

/** The toast stack; errors are announced to screen readers at once. */
export function Toasts() {
  const list = useStore(toasts);
  return (
    <div className="hz-toasts" aria-live="assertive">
      {list.map((toast) => (
        <div key={toast.id} className={`hz-toast is-${toast.tone}`} role={toast.tone === "error" ? "alert" : "status"}>
          <span>{toast.text}</span>
          <button type="button" className="hz-icon-button" aria-label="关闭提示" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
