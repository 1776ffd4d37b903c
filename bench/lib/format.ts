/** Small formatting helpers shared by the benchmarks' tables. */

/** Milliseconds with sensible precision, or "—" when there is no value. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function mb(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? "—" : (bytes / 2 ** 20).toFixed(0);
}

export function kb(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? "—" : (bytes / 1024).toFixed(1);
}

export function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? "—" : `${value.toFixed(digits)}%`;
}

export function count(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(0)}k` : value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0);
}

/** A plain-text table (for the terminal) or a Markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], markdown = false): string {
  if (markdown) {
    const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A table row for a run that failed: its leading cells, the error, then blanks up to `width` cells. */
export function failedRow(lead: readonly string[], error: string | null, width: number): string[] {
  const cells = [...lead, `failed: ${error ?? "?"}`.slice(0, 70)];
  while (cells.length < width) cells.push("");
  return cells;
}
