import type { Locator, Page } from "playwright-core";

// How the browser tests drive the volunteers' grid: the selectors are the app's stable hooks
// (`.ag-row[row-id]`, `col-id`, data attributes), never layout.

/** The tabs of the live workbook (the preview shown before it has tabs too, read-only). */
export const LIVE_TABS = ".hz-app:not([data-preview]) .hz-tabs";

/** Opens an editor link and waits until the workbook has synced and the tabs are shown. */
export async function openWorkbook(page: Page, url: string): Promise<void> {
  await page.goto(url);
  try {
    await page.locator(LIVE_TABS).waitFor({ timeout: 30_000 });
  } catch (error) {
    // Say what the page showed instead (loading, refused …), not only that the tabs never came.
    const shown = (await page.locator("body").textContent()) ?? "";
    throw new Error(`the workbook did not open; the page shows: ${shown.slice(0, 200)}`, { cause: error });
  }
}

/** Switches to a tab by sheet id and waits for its rows (grid sheets) or its page (notice). */
export async function openSheet(page: Page, sheetId: string): Promise<void> {
  await page.locator(`.hz-tab[data-sheet-id="${sheetId}"]`).click();
  await page.locator(`.hz-grid[data-sheet="${sheetId}"] .ag-row[row-id], .hz-notice`).first().waitFor();
}

/** The cell of a row and column. */
export function cell(page: Page, rowId: string, columnId: string): Locator {
  return page.locator(`.ag-row[row-id="${rowId}"] .ag-cell[col-id="${columnId}"]`).first();
}

/**
 * Clicks a cell at its centre. Playwright's own locator.click waits for a CDP box model that AG
 * Grid 36's cells (in its scrolling-cells layer) never report, though they render and take clicks.
 */
export async function clickCell(
  page: Page,
  rowId: string,
  columnId: string,
  options: { double?: boolean; edge?: boolean } = {},
): Promise<void> {
  const target = cell(page, rowId, columnId);
  await target.waitFor();
  const box = await target.evaluate((element, edge) => {
    const rect = element.getBoundingClientRect();
    return { x: edge ? rect.x + 4 : rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
  }, options.edge ?? false);
  if (options.double) await page.mouse.dblclick(box.x, box.y);
  else await page.mouse.click(box.x, box.y);
}

/** Row ids in display order (rows in the DOM, which covers a sample-sized sheet). */
export async function rowIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>(".ag-row[row-id]")];
    const ordered = rows.sort((a, b) => Number(a.getAttribute("row-index")) - Number(b.getAttribute("row-index")));
    return [...new Set(ordered.map((r) => r.getAttribute("row-id") as string))];
  });
}

/** Types into a cell the way a volunteer does: focus it, Enter to edit, type, Enter to save. */
export async function editCell(page: Page, rowId: string, columnId: string, text: string): Promise<void> {
  await clickCell(page, rowId, columnId);
  await page.keyboard.press("Enter");
  const input = page
    .locator(".ag-cell-editor input, .ag-popup-editor input, .ag-popup-editor textarea, .ag-cell-inline-editing input")
    .first();
  await input.waitFor();
  await input.fill(text);
  await page.keyboard.press("Enter");
}

/** The connection badge's tone: online, syncing, offline or refused. */
export function connectionTone(page: Page): Promise<string | null> {
  return page.locator(".hz-connection").getAttribute("data-tone");
}
