import { type ReactNode, useEffect, useRef } from "react";

/** A centred dialog over a dimmed page; Esc or a click outside closes it, focus moves into it. */
export function Modal({
  title,
  onClose,
  children,
  width = 420,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  width?: number;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        close.current();
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      // Back to the grid cell that opened us, so keyboard work continues where it was.
      previous?.focus?.();
    };
  }, []);
  return (
    <div className="hz-modal-backdrop">
      <button type="button" className="hz-modal-scrim" aria-label="关闭对话框" tabIndex={-1} onClick={onClose} />
      <div ref={panel} className="hz-modal" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} style={{ width }}>
        <div className="hz-modal-header">
          <h2>{title}</h2>
          <button type="button" className="hz-icon-button" aria-label="关闭" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="hz-modal-body">{children}</div>
      </div>
    </div>
  );
}

/** Asks before something consequential; the confirm button is focused so Enter confirms. */
export function ConfirmDialog(props: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title={props.title} onClose={props.onCancel}>
      <div className="hz-confirm-message">{props.message}</div>
      <div className="hz-modal-actions">
        <button type="button" className="hz-button" onClick={props.onCancel}>
          取消
        </button>
        <button
          type="button"
          className="hz-button is-danger"
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to take this decision.
          autoFocus
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
