import { ColumnType } from "@huzhu/schema";
import { describe, expect, it } from "vitest";
import { GridKey, gridKeyOf } from "./keyboard.ts";

const key = (init: KeyboardEventInit & { keyCode?: number }) => ({ ctrlKey: false, metaKey: false, keyCode: 0, ...init }) as KeyboardEvent;

describe("gridKeyOf", () => {
  it("clears on Delete and Backspace, toggles checkboxes on Space", () => {
    expect(gridKeyOf(key({ key: "Delete" }), false, ColumnType.text)).toBe(GridKey.clear);
    expect(gridKeyOf(key({ key: "Backspace" }), false, ColumnType.text)).toBe(GridKey.clear);
    expect(gridKeyOf(key({ key: " " }), false, ColumnType.checkbox)).toBe(GridKey.toggle);
    expect(gridKeyOf(key({ key: " " }), false, ColumnType.text)).toBeNull();
  });

  it("inserts with Ctrl+Enter and deletes rows with Ctrl+-", () => {
    expect(gridKeyOf(key({ key: "Enter", ctrlKey: true }), false, undefined)).toBe(GridKey.insertRow);
    expect(gridKeyOf(key({ key: "-", metaKey: true }), false, undefined)).toBe(GridKey.deleteRows);
  });

  it("opens the editor when a Chinese input method starts composing", () => {
    expect(gridKeyOf(key({ key: "Process", keyCode: 229 }), false, ColumnType.text)).toBe(GridKey.imeEdit);
  });

  it("leaves every key to the editor while editing", () => {
    expect(gridKeyOf(key({ key: "Delete" }), true, ColumnType.text)).toBeNull();
  });
});
