import { useEffect, useRef } from "react";

/** One action of the row menu. */
export interface RowMenuItem {
  readonly key: string;
  readonly label: string;
  readonly shortcut?: string;
  readonly danger?: boolean;
  run(): void;
}

/** The right-click menu of a row, at the pointer; any click elsewhere, Esc or scrolling closes it. */
export function RowMenu({ x, y, items, onClose }: { x: number; y: number; items: readonly RowMenuItem[]; onClose(): void }) {
  const root = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    root.current?.querySelector<HTMLButtonElement>("button")?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close.current();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        close.current();
      }
    };
    const onScroll = () => close.current();
    document.addEventListener("pointerdown", onPointer, true);
    document.addEventListener("keydown", onKey, true);
    window.addEventListener("wheel", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    return () => {
      document.removeEventListener("pointerdown", onPointer, true);
      document.removeEventListener("keydown", onKey, true);
      window.removeEventListener("wheel", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, []);
  // Keep the menu on screen near the right and bottom edges.
  const left = Math.min(x, window.innerWidth - 240);
  const top = Math.min(y, window.innerHeight - (items.length * 34 + 16));
  return (
    <div ref={root} className="hz-menu hz-row-menu" role="menu" aria-label="行操作" style={{ left, top }}>
      {items.map((item) => (
        <button
          key={item.key}
          type="button"
          role="menuitem"
          className={`hz-menu-item${item.danger ? " is-danger" : ""}`}
          data-action={item.key}
          onClick={() => {
            close.current();
            item.run();
          }}
        >
          <span>{item.label}</span>
          {item.shortcut && <kbd>{item.shortcut}</kbd>}
        </button>
      ))}
    </div>
  );
}
