import type { OptionColor } from "@huzhu/schema";
import { palette } from "../grid/palette.ts";

/** A coloured label for an option; `dot` marks workflow statuses apart from plain choices. */
export function Chip({ label, color, dot = false }: { label: string; color: OptionColor; dot?: boolean }) {
  const swatch = palette[color];
  return (
    <span
      className={`hz-chip${color === "none" ? " hz-chip-plain" : ""}`}
      style={{ background: color === "none" ? "#fff" : swatch.background, color: swatch.text }}
    >
      {dot && <span className="hz-chip-dot" style={{ background: swatch.text }} />}
      {label}
    </span>
  );
}
