import { type Row, compareOrdered } from "@huzhu/schema";
import { AllCommunityModule, type GridApi, ModuleRegistry } from "ag-grid-community";
import { AgGridReact } from "ag-grid-react";
import { useMemo, useRef } from "react";
import { createColumnDefs } from "../grid/column-defs.ts";
import { CellComponent } from "../grid/components.ts";
import type { GridContext } from "../grid/grid-context.ts";
import { localeZh } from "../grid/locale-zh.ts";
import { CellRenderer } from "../grid/renderers/CellRenderer.tsx";
import { GutterRenderer } from "../grid/renderers/GutterRenderer.tsx";
import { sheetTheme } from "../grid/theme.ts";
import { createStore } from "../lib/store.ts";
import type { VersionSheet } from "./api-types.ts";

ModuleRegistry.registerModules([AllCommunityModule]);

const components = { [CellComponent.cell]: CellRenderer, [CellComponent.gutter]: GutterRenderer };
const noCursors = createStore<ReadonlyMap<string, never[]>>(new Map());

/**
 * One sheet of a past version in the live grid's own columns and cell renderers, read-only:
 * nothing can be edited, dragged or pasted. A click selects a row (to restore it).
 */
export function VersionGrid(props: { sheet: VersionSheet; selectedRowId: string | null; onSelectRow(rowId: string | null): void }) {
  const { sheet } = props;
  const columnDefs = useMemo(() => createColumnDefs(sheet, { readOnly: true }), [sheet]);
  const rows = useMemo(() => sheet.rows.filter((row) => row.deletedAt === null).sort(compareOrdered), [sheet]);
  const latest = useRef(props);
  latest.current = props;
  const context = useMemo<GridContext>(
    () => ({ sheetId: sheet.id, readOnly: true, cursors: noCursors, write: () => {}, showChatGroup: () => {} }),
    [sheet.id],
  );
  const select = (api: GridApi<Row>) => {
    const id = latest.current.selectedRowId;
    const node = id ? api.getRowNode(id) : undefined;
    if (!node) return;
    node.setSelected(true, true);
    api.ensureNodeVisible(node, "middle");
  };
  return (
    <div className="hz-grid hz-version-grid" data-sheet={sheet.id}>
      <AgGridReact<Row>
        theme={sheetTheme}
        localeText={localeZh}
        columnDefs={columnDefs}
        defaultColDef={{ sortable: true, resizable: true, cellDataType: false, editable: false }}
        components={components}
        context={context}
        rowData={rows}
        getRowId={(p) => p.data.id}
        rowSelection={{ mode: "singleRow", checkboxes: false, enableClickSelection: true }}
        suppressRowDrag
        animateRows={false}
        onFirstDataRendered={(e) => select(e.api)}
        onSelectionChanged={(e) => {
          const picked = e.api.getSelectedRows()[0];
          latest.current.onSelectRow(picked ? picked.id : null);
        }}
      />
    </div>
  );
}
