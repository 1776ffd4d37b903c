import type { Row } from "@huzhu/schema";
import { AllCommunityModule, type ColDef, ModuleRegistry } from "ag-grid-community";
import type { AgGridReactProps } from "ag-grid-react";
import { CellComponent } from "./components.ts";
import { ChatGroupEditor } from "./editors/ChatGroupEditor.tsx";
import { DateTimeEditor } from "./editors/DateTimeEditor.tsx";
import { InputEditor } from "./editors/InputEditor.tsx";
import { LongTextEditor } from "./editors/LongTextEditor.tsx";
import { suppressGridKeys } from "./keyboard.ts";
import { localeZh } from "./locale-zh.ts";
import { CellRenderer } from "./renderers/CellRenderer.tsx";
import { GutterRenderer } from "./renderers/GutterRenderer.tsx";
import { sheetTheme } from "./theme.ts";

ModuleRegistry.registerModules([AllCommunityModule]);

const components = {
  [CellComponent.cell]: CellRenderer,
  [CellComponent.gutter]: GutterRenderer,
  [CellComponent.inputEditor]: InputEditor,
  [CellComponent.longTextEditor]: LongTextEditor,
  [CellComponent.dateTimeEditor]: DateTimeEditor,
  [CellComponent.chatGroupEditor]: ChatGroupEditor,
};

const defaultColDef: ColDef<Row> = {
  sortable: true,
  resizable: true,
  // Values are the schema's (option ids, ISO instants, link objects): no type inference by AG Grid.
  cellDataType: false,
  suppressKeyboardEvent: suppressGridKeys,
};

/** What every grid of a sheet shares, live or preview: look, language, cells. */
export const gridFrame = {
  theme: sheetTheme,
  localeText: localeZh,
  defaultColDef,
  components,
  tooltipShowDelay: 400,
  animateRows: false,
} satisfies AgGridReactProps<Row>;
