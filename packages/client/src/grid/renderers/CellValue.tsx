import { type CellValue as Value, type ChatGroupLink, type ColumnDef, ColumnType, findOption, formatCell } from "@huzhu/schema";
import { Chip } from "../../ui/Chip.tsx";
import { ChatGroupCell } from "./ChatGroupCell.tsx";
import { PhoneLink, SafeLink } from "./LinkCells.tsx";

interface CellValueProps {
  readonly column: ColumnDef;
  readonly value: Value;
  readonly readOnly: boolean;
  onToggle(checked: boolean): void;
  onOpenChatGroup(link: ChatGroupLink): void;
}

/** How a value of each column type looks in a cell. */
export function CellValue({ column, value, readOnly, onToggle, onOpenChatGroup }: CellValueProps) {
  switch (column.type) {
    case ColumnType.select:
    case ColumnType.status: {
      const option = typeof value === "string" ? findOption(column, value) : undefined;
      return option ? <Chip label={option.label} color={option.color} dot={column.type === ColumnType.status} /> : null;
    }
    case ColumnType.phone:
      return <PhoneLink phone={typeof value === "string" ? value : ""} />;
    case ColumnType.url:
      return <SafeLink url={typeof value === "string" ? value : ""} />;
    case ColumnType.chatGroup:
      return value && typeof value === "object" ? <ChatGroupCell link={value} onOpen={() => onOpenChatGroup(value)} /> : null;
    case ColumnType.checkbox:
      return (
        <input
          type="checkbox"
          className="hz-checkbox"
          checked={value === true}
          disabled={readOnly}
          aria-label={column.label}
          onChange={(event) => onToggle(event.target.checked)}
        />
      );
    case ColumnType.longText:
      // One line in the grid; the tooltip and the editor show the whole text.
      return <span className="hz-text">{formatCell(column, value).replace(/\s*\n+\s*/g, " ⏎ ")}</span>;
    case ColumnType.person:
      return value ? <span className="hz-person">{formatCell(column, value)}</span> : null;
    default:
      return <span className="hz-text">{formatCell(column, value)}</span>;
  }
}
