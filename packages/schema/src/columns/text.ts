import { ColumnType } from "./column.ts";
import { type ColumnTypeSpec, accept, isBlankInput, reject } from "./spec.ts";

function textSpec(type: ColumnType, labelZh: string, maxLength: number): ColumnTypeSpec<string> {
  return {
    type,
    labelZh,
    empty: "",
    parse(input) {
      if (isBlankInput(input)) return accept("");
      if (typeof input !== "string" && typeof input !== "number") {
        return reject(`text of at most ${maxLength} characters`, `不超过 ${maxLength} 字的文字`);
      }
      const text = String(input).replace(/\0/g, "").trim();
      if (text.length > maxLength) {
        return reject(`text of at most ${maxLength} characters`, `不超过 ${maxLength} 字的文字`);
      }
      return accept(text);
    },
    isValid: (value): value is string => typeof value === "string" && value.length <= maxLength,
    format: (value) => value,
  };
}

/** One line of text, e.g. a street name. */
export const textColumn = textSpec(ColumnType.text, "文本", 500);
/** Free text such as a description of what is needed. */
export const longTextColumn = textSpec(ColumnType.longText, "长文本", 5000);
/** A volunteer's name or handle, e.g. who verified a request. */
export const personColumn = textSpec(ColumnType.person, "人员", 100);
