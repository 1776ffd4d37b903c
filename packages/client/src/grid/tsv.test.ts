import { describe, expect, it } from "vitest";
import { parseTsv, toTsv } from "./tsv.ts";

describe("TSV", () => {
  it("parses rows and fields, ignoring the trailing line break spreadsheets add", () => {
    expect(parseTsv("a\tb\n1\t2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseTsv("a\r\nb\r\n")).toEqual([["a"], ["b"]]);
  });

  it("keeps empty fields and empty lines inside the block", () => {
    expect(parseTsv("\tx\n\ny\t")).toEqual([["", "x"], [""], ["y", ""]]);
  });

  it("reads quoted fields with tabs, line breaks and doubled quotes", () => {
    expect(parseTsv('"line 1\nline 2"\t"say ""hi"""\tplain')).toEqual([["line 1\nline 2", 'say "hi"', "plain"]]);
  });

  it("keeps an unclosed quote as typed", () => {
    expect(parseTsv('5" screen\tx')).toEqual([['5" screen', "x"]]);
    expect(parseTsv('"open\tx')).toEqual([['"open', "x"]]);
  });

  it("round-trips anything toTsv writes", () => {
    const rows = [
      ["尿毒症\n每周三次", 'a "b"', "", "\t"],
      ["SH-0001", "危急", "2022-04-10 08:12", "https://example.org/g | 2022-04-17 00:00"],
    ];
    expect(parseTsv(toTsv(rows))).toEqual(rows);
  });
});
