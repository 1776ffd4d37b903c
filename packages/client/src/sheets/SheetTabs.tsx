import { type SheetId, type SheetInfo, SheetKind } from "@huzhu/schema";

/** The tab bar at the bottom, as in 腾讯文档 and Google Sheets. */
export function SheetTabs({
  sheets,
  active,
  onSelect,
}: {
  sheets: readonly SheetInfo[];
  active: SheetId | null;
  onSelect: (id: SheetId) => void;
}) {
  return (
    <div className="hz-tabs" role="tablist" aria-label="工作表">
      {sheets.map((sheet) => (
        <button
          type="button"
          role="tab"
          key={sheet.id}
          aria-selected={sheet.id === active}
          className={`hz-tab${sheet.id === active ? " is-active" : ""}`}
          data-sheet-id={sheet.id}
          onClick={() => onSelect(sheet.id)}
        >
          {sheet.kind === SheetKind.notice && (
            <span className="hz-tab-icon" aria-hidden="true">
              ⌂
            </span>
          )}
          {sheet.name}
        </button>
      ))}
    </div>
  );
}
