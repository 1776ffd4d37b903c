/** Names under which SheetGrid registers its React renderers and editors with AG Grid. */
export const CellComponent = {
  cell: "hzCell",
  gutter: "hzGutter",
  inputEditor: "hzInputEditor",
  longTextEditor: "hzLongTextEditor",
  dateTimeEditor: "hzDateTimeEditor",
  chatGroupEditor: "hzChatGroupEditor",
} as const;
