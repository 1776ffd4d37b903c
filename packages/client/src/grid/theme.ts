import { themeQuartz } from "ag-grid-community";

/** Fonts that carry Chinese on every platform volunteers use (macOS, Windows, Android, Linux). */
export const UI_FONT = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "system-ui", "sans-serif"];

/**
 * A dense spreadsheet look (腾讯文档 / Google Sheets): thin grid lines between all cells, a grey
 * header, compact rows, square corners.
 */
export const sheetTheme = themeQuartz.withParams({
  fontFamily: UI_FONT,
  fontSize: 13,
  headerFontSize: 12.5,
  headerFontWeight: 600,
  spacing: 4,
  rowHeight: 32,
  headerHeight: 32,
  cellHorizontalPadding: 8,
  accentColor: "#1a73e8",
  foregroundColor: "#1f2329",
  borderColor: "#dde1e6",
  columnBorder: true,
  headerColumnBorder: true,
  headerBackgroundColor: "#f5f6f8",
  headerTextColor: "#4b5563",
  wrapperBorder: false,
  wrapperBorderRadius: 0,
  rowHoverColor: "rgba(26, 115, 232, 0.05)",
  selectedRowBackgroundColor: "rgba(26, 115, 232, 0.12)",
  oddRowBackgroundColor: "#ffffff",
  pinnedColumnBorder: { color: "#c4c9d1", width: 1 },
  cellEditingBorder: { color: "#1a73e8", width: 2 },
  rowDragIndicatorColor: "#1a73e8",
});
