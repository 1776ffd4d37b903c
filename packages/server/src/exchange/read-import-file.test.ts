import { describe, expect, it } from "vitest";
import { type ImportTable, readImportFile } from "./index.ts";
import { fixture, makeZip } from "./test-helpers.ts";

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);
const utf16le = (text: string) => new Uint8Array(Buffer.from(text, "utf16le"));
const utf16be = (text: string) => new Uint8Array(Buffer.from(text, "utf16le").swap16());

const HEADERS = [
  "紧急程度",
  "类别",
  "所在区*",
  "街道/小区",
  "需求描述",
  "患者姓名",
  "ＡＧＥ",
  "联系电话",
  "提交时间",
  "核实状态",
  "核实时间",
  "备注",
  "来源",
];

/** What every rendition of fixtures/source/requests.csv holds (dates as LibreOffice wrote them). */
function expectRequestsTable(table: ImportTable, seconds: string) {
  expect(table.headers).toEqual(HEADERS);
  expect(table.rowNumbers).toEqual([2, 3, 5, 6]);
  const [first, second, third, fourth] = table.rows;
  expect(first).toEqual([
    "危急",
    "血透",
    "浦东新区",
    "花木街道某小区",
    "尿毒症患者，每周血透三次。\n原透析医院停诊。",
    "张某某",
    "67",
    "100 0000 0001",
    `2022-04-10 08:12${seconds}`,
    "已核实",
    `2022-04-10 09:05${seconds}`,
    "已联系某医院, 等待回复",
    "微博",
  ]);
  // A formula (=60+21) gives its cached result.
  expect(second?.[6]).toBe("81");
  expect(second?.slice(10)).toEqual(["", "", ""]);
  expect(third?.slice(4, 8)).toEqual(['引号"测试"', "王某喆", "-5", "+86 100 0000 0005"]);
  expect(fourth?.[10]).toBe("2022-13-01");
}

describe("readImportFile: files made by LibreOffice", () => {
  it("reads XLSX converted from CSV: Chinese text, dates, formulas, a quoted newline, an empty row", async () => {
    const table = await readImportFile(fixture("requests-libreoffice.xlsx"), "requests.xlsx");
    expect(table).toMatchObject({ format: "xlsx", encoding: null, sheetName: "requests", sheetNames: ["requests"], skippedEmpty: 1 });
    expectRequestsTable(table, "");
  });

  it("reads a GB18030 CSV separated by semicolons", async () => {
    const table = await readImportFile(fixture("requests-gb18030-semicolon.csv"), "requests.csv");
    expect(table).toMatchObject({ format: "csv", encoding: "gb18030", delimiter: ";", skippedEmpty: 1 });
    expectRequestsTable(table, ":00");
  });

  it("reads UTF-16 text separated by tabs (Excel's “Unicode text”)", async () => {
    const table = await readImportFile(fixture("requests-utf16-tab.txt"), "requests.txt");
    expect(table).toMatchObject({ format: "csv", encoding: "utf-16le", delimiter: "\t" });
    expectRequestsTable(table, ":00");
  });

  it("reads UTF-8 CSV with a byte-order mark (Excel's “CSV UTF-8”)", async () => {
    const table = await readImportFile(fixture("requests-utf8-bom.csv"), "requests.csv");
    expect(table).toMatchObject({ format: "csv", encoding: "utf-8-bom", delimiter: "," });
    expect(table.headers[0]).toBe("紧急程度");
    expectRequestsTable(table, ":00");
  });

  it("reads a named worksheet: merged cells, rich text, booleans, dates, multi-line cells", async () => {
    const bytes = fixture("hospitals-libreoffice.xlsx");
    const first = await readImportFile(bytes, "hospitals.xlsx");
    expect(first.sheetName).toBe("说明");
    expect(first.sheetNames).toEqual(["说明", "医院"]);
    const table = await readImportFile(bytes, "hospitals.xlsx", { sheetName: "医院" });
    expect(table.headers).toEqual(["所在区", "医院", "等级", "接诊状态", "发热门诊", "血透", "医院电话", "最近核实", "备注"]);
    expect(table.rowNumbers).toEqual([2, 3, 5]);
    expect(table.rows).toEqual([
      ["浦东新区", "仁济医院（东院）", "三甲", "正常接诊", "1", "是", "021-5875 2345", "2022-04-12 14:30", "https://example.org/renji"],
      ["浦东新区", "东方医院", "三甲", "限流", "0", "否", "021 3880 4518", "2022-04-13 09:00", ""],
      ["徐汇区", "中山医院", "三甲", "仅急诊", "是", "", "2164041990", "2022-04-14", "需 48 小时核酸\n急诊 24 小时"],
    ]);
  });

  it("refuses an unknown worksheet name and lists the ones there are", async () => {
    await expect(readImportFile(fixture("hospitals-libreoffice.xlsx"), "h.xlsx", { sheetName: "渠道" })).rejects.toMatchObject({
      code: "unknown_worksheet",
      messageZh: expect.stringContaining("「说明」「医院」"),
    });
  });

  it("refuses OpenDocument and Excel 97–2003 files with a way out", async () => {
    await expect(readImportFile(fixture("hospitals.ods"), "hospitals.ods")).rejects.toMatchObject({
      code: "unsupported_format",
      message: expect.stringContaining("save it as XLSX or CSV"),
      messageZh: expect.stringContaining(".ods"),
    });
    await expect(readImportFile(fixture("hospitals.xls"), "hospitals.xls")).rejects.toMatchObject({
      code: "unsupported_format",
      messageZh: expect.stringContaining("另存为 .xlsx"),
    });
  });
});

describe("readImportFile: encodings and delimiters", () => {
  const text = "姓名,电话\r\n张三,100 0000 0001\r\n";
  it.each([
    ["UTF-8", utf8(text), "utf-8"],
    ["UTF-8 with BOM", utf8(`\uFEFF${text}`), "utf-8-bom"],
    ["UTF-16 LE with BOM", utf16le(`\uFEFF${text}`), "utf-16le"],
    ["UTF-16 BE with BOM", utf16be(`\uFEFF${text}`), "utf-16be"],
    ["UTF-16 LE without BOM", utf16le(text), "utf-16le"],
  ])("decodes %s", async (_, bytes, encoding) => {
    const table = await readImportFile(bytes, "a.csv");
    expect(table.encoding).toBe(encoding);
    expect(table.headers).toEqual(["姓名", "电话"]);
    expect(table.rows).toEqual([["张三", "100 0000 0001"]]);
  });

  it("falls back to GB18030 (GBK) when the bytes are not UTF-8", async () => {
    // 姓名,电话 / 张三,1 in GBK, as Excel on Chinese Windows saves "CSV".
    const gbk = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x31, 0x0a]);
    const table = await readImportFile(gbk, "a.csv");
    expect(table).toMatchObject({ encoding: "gb18030", headers: ["姓名", "电话"], rows: [["张三", "1"]] });
  });

  it.each([
    [",", "a,b,c\n1,2,3\n"],
    [";", "a;b;c\n1,5;2;3\n"],
    ["\t", "a\tb\tc\n1, 2\t2\t3\n"],
    ["|", "a|b|c\n1|2|3\n"],
  ])("detects the delimiter %j", async (delimiter, csv) => {
    const table = await readImportFile(utf8(csv), "a.csv");
    expect(table.delimiter).toBe(delimiter);
    expect(table.headers).toEqual(["a", "b", "c"]);
  });

  it("keeps quoted newlines and delimiters inside a cell and numbers rows as records", async () => {
    const table = await readImportFile(utf8('a,b\r\n"line 1\r\nline 2","x, y"\r\n\r\n,\r\nlast,"say ""hi"""'), "a.csv");
    expect(table.rows).toEqual([
      ["line 1\r\nline 2", "x, y"],
      ["last", 'say "hi"'],
    ]);
    expect(table.rowNumbers).toEqual([2, 5]);
    expect(table.skippedEmpty).toBe(2);
  });

  it("uses the first non-empty row as header and pads short rows", async () => {
    const table = await readImportFile(utf8("\n\n a , b ,c\n1\n1,2,3,4\n"), "a.csv");
    expect(table.headers).toEqual(["a", "b", "c", ""]);
    expect(table.rows).toEqual([
      ["1", "", "", ""],
      ["1", "2", "3", "4"],
    ]);
    expect(table.rowNumbers).toEqual([4, 5]);
  });

  it("skips a title above the header when told where the header is", async () => {
    const csv = utf8("上海医疗紧急求助登记表,,\n\n需求描述,年龄,备注\n描述,30,\n");
    const table = await readImportFile(csv, "a.csv", { headerRow: 2 });
    expect(table).toMatchObject({ headerRowNumber: 3, headers: ["需求描述", "年龄", "备注"], rows: [["描述", "30", ""]], rowNumbers: [4] });
    await expect(readImportFile(fixture("requests-libreoffice.xlsx"), "r.xlsx", { headerRow: 7 })).rejects.toMatchObject({
      code: "empty_file",
      messageZh: "文件第 7 行及以下没有内容",
    });
  });

  it("decides the format by content, not by file name", async () => {
    const xlsx = await readImportFile(fixture("requests-libreoffice.xlsx"), "renamed.csv");
    expect(xlsx.format).toBe("xlsx");
    const csv = await readImportFile(utf8("a,b\n1,2\n"), "misnamed.xlsx");
    expect(csv.format).toBe("csv");
  });
});

describe("readImportFile: refusals", () => {
  const expectRefusal = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "ExchangeError", code });
    const { message, messageZh } = error as { message: string; messageZh: string };
    expect(message.length).toBeGreaterThan(10);
    expect(messageZh).toMatch(/[\u4e00-\u9fff]/);
    return error as { message: string; messageZh: string; status: number };
  };

  it("refuses a file over the size limit before reading it", async () => {
    const error = await expectRefusal(readImportFile(new Uint8Array(11 * 1024 * 1024), "big.csv"), "file_too_large");
    expect(error.message).toContain("10 MiB");
    expect(error.status).toBe(413);
  });

  it("refuses too many rows, too many columns and overlong cells", async () => {
    const rows = `a\n${"x\n".repeat(21)}`;
    const tooMany = await expectRefusal(readImportFile(utf8(rows), "a.csv", { limits: { maxRows: 20 } }), "too_many_rows");
    expect(tooMany.messageZh).toContain("20 行");
    const wide = `${Array.from({ length: 201 }, (_, i) => `c${i}`).join(",")}\n`;
    await expectRefusal(readImportFile(utf8(wide), "a.csv"), "too_many_columns");
    const long = await expectRefusal(readImportFile(utf8(`a,b\n1,${"长".repeat(33_000)}\n`), "a.csv"), "cell_too_long");
    expect(long.message).toContain("B2");
  });

  it("refuses empty files", async () => {
    await expectRefusal(readImportFile(new Uint8Array(), "a.csv"), "empty_file");
    await expectRefusal(readImportFile(utf8("\r\n,,\r\n \r\n"), "a.csv"), "empty_file");
  });

  it("refuses a CSV whose quote never closes, naming the row", async () => {
    const error = await expectRefusal(readImportFile(utf8('a,b\n1,2\n3,"open\n4,5\n'), "a.csv"), "malformed_csv");
    expect(error.messageZh).toContain("第 3 行");
  });

  it("refuses binary files and damaged or non-spreadsheet zips", async () => {
    const binary = new Uint8Array(256).map((_, i) => (i * 7) % 256);
    await expectRefusal(readImportFile(binary, "photo.jpg"), "unknown_encoding");
    const xlsx = fixture("requests-libreoffice.xlsx");
    await expectRefusal(readImportFile(xlsx.slice(0, xlsx.length - 100), "cut.xlsx"), "malformed_xlsx");
    await expectRefusal(readImportFile(xlsx, "big.xlsx", { limits: { maxUnzippedBytes: 10_000 } }), "file_too_large");
    const docx = makeZip([{ name: "word/document.xml", content: utf8("<w:document/>") }]);
    await expectRefusal(readImportFile(docx, "letter.docx"), "unsupported_format");
  });

  it("refuses a zip bomb whose directory understates its size, before exceljs inflates it", async () => {
    const bomb = makeZip([
      { name: "xl/workbook.xml", content: utf8("<workbook/>") },
      { name: "xl/worksheets/sheet1.xml", content: new Uint8Array(80 * 1024 * 1024), declaredSize: 1000 },
    ]);
    expect(bomb.length).toBeLessThan(200_000);
    const error = await expectRefusal(readImportFile(bomb, "bomb.xlsx"), "file_too_large");
    expect(error.message).toContain("64 MiB");
  });
});
