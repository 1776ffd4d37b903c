import { createContext, useContext } from "react";
import type { WorkbookApi } from "./workbook-api.ts";

/**
 * The HTTP API of the open workbook, for history, versions, import, export and purge. Null when
 * the workbook did not come from an editor link (the local demo): those features are then hidden.
 */
export const WorkbookApiContext = createContext<WorkbookApi | null>(null);

/** The open workbook's API, or null without one. */
export function useWorkbookApi(): WorkbookApi | null {
  return useContext(WorkbookApiContext);
}
