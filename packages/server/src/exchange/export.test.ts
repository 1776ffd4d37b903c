import type { SheetId } from "@huzhu/schema";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  ExchangeError,
  ExportContentType,
  contentDisposition,
  exportFileName,
  exportSheetCsv,
  exportWorkbookXlsx,
  neutraliseFormula,
} from "./index.ts";
import { sampleWorkbook, unzipEntries } from "./test-helpers.ts";

const requests = "requests" as SheetId;
const PRIVATE_PHONE = "10098765432";
const PRIVATE_NAME = "隐私测试姓名";

/** The sample workbook plus one row of hostile text and one row in the trash. */
function workbookWithHostileRow() {
  const workbook = sampleWorkbook();
  const hostile = workbook.insertRow(requests, {
    urgency: "normal",
    description: "=1+1",
    street: "@SUM(A1:A9)",
    verifier: '-2+3+cmd|" /C calc"!A0',
    followUpOwner: "+跟进",
    patientName: PRIVATE_NAME,
    phone: "+86 100 9876 5432",
    age: -5,
    notes: 'comma, "quote"\nsecond line',
  });
  const trashed = workbook.insertRow(requests, { description: "已删除的行 TRASHED-ROW" });
  workbook.deleteRow(requests, trashed);
  return { workbook, hostile };
}

async function loadXlsx(bytes: Uint8Array) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as never);
  return book;
}

describe("neutraliseFormula", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+8610000000001", "'+8610000000001"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["-2+3+cmd", "'-2+3+cmd"],
    ["\tfoo", "'\tfoo"],
    ["\rfoo", "'\rfoo"],
    ["\0foo", "'\0foo"],
    ["-5", "-5"],
    ["-0.25", "-0.25"],
    ["-1e3", "-1e3"],
    ["张三", "张三"],
    ["a=b", "a=b"],
    ["'quoted", "'quoted"],
  ])("%j → %j", (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe("exportSheetCsv", () => {
  it("writes UTF-8 with a byte-order mark, CRLF line ends and column labels as header", () => {
    const csv = exportSheetCsv(sampleWorkbook(), requests, { includePrivate: false });
    expect(csv.startsWith("\uFEFF编号,提交时间,紧急程度,类别,所在区,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(
      csv
        .replace(/"[^"]*"/g, "")
        .split("\n")
        .every((line) => line === "" || line.endsWith("\r")),
    ).toBe(true);
  });

  it("writes select labels, checkboxes as 是/否 and dates in China Standard Time", () => {
    const workbook = sampleWorkbook();
    const csv = exportSheetCsv(workbook, requests, { includePrivate: false });
    const [header, first] = Papa.parse<string[]>(csv.slice(1), { newline: "\r\n" }).data;
    const cell = (label: string) => first?.[header?.indexOf(label) ?? -1];
    expect(cell("紧急程度")).toBe("危急");
    expect(cell("所在区")).toBe("浦东新区");
    expect(cell("提交时间")).toBe("2022-04-10 08:12");
    const hospitals = exportSheetCsv(workbook, "hospitals", { includePrivate: false });
    expect(hospitals).toMatch(/,是,|,否,/);
  });

  it("neutralises formula starts but leaves real numbers bare, and escapes quotes and newlines", () => {
    const { workbook } = workbookWithHostileRow();
    const csv = exportSheetCsv(workbook, requests, { includePrivate: true });
    const lines = Papa.parse<string[]>(csv.slice(1), { newline: "\r\n" }).data;
    const header = lines[0] ?? [];
    const hostile = lines.find((line) => line.includes("'=1+1")) ?? [];
    const cell = (label: string) => hostile[header.indexOf(label)];
    expect(cell("需求描述")).toBe("'=1+1");
    expect(cell("街道/小区")).toBe("'@SUM(A1:A9)");
    expect(cell("核实人")).toBe(`'-2+3+cmd|" /C calc"!A0`);
    expect(cell("跟进人")).toBe("'+跟进");
    expect(cell("联系电话")).toBe(`'+86${PRIVATE_PHONE}`);
    expect(cell("年龄")).toBe("-5");
    expect(cell("备注")).toBe('comma, "quote"\nsecond line');
    // On the wire: -5 is unquoted and not prefixed; the quoted text doubles its quotes.
    expect(csv).toContain(",-5,");
    expect(csv).toContain('"comma, ""quote""\nsecond line"');
    expect(csv).not.toMatch(/(^|,)[=+@]/m);
  });

  it("neutralises a header that starts with a tab", () => {
    const workbook = sampleWorkbook();
    workbook.addColumn(requests, { type: "text", label: "\t=HYPERLINK(1)" });
    const csv = exportSheetCsv(workbook, requests, { includePrivate: false });
    expect(csv.split("\r\n")[0]?.endsWith(",'\t=HYPERLINK(1)")).toBe(true);
  });

  it("leaves out private columns unless includePrivate, and trashed rows always", () => {
    const { workbook } = workbookWithHostileRow();
    const publicCsv = exportSheetCsv(workbook, requests, { includePrivate: false });
    for (const secret of [PRIVATE_PHONE, PRIVATE_NAME, "联系电话", "患者姓名", "张某某", "10000000001"]) {
      expect(publicCsv, `public CSV contains ${secret}`).not.toContain(secret);
    }
    const fullCsv = exportSheetCsv(workbook, requests, { includePrivate: true });
    expect(fullCsv).toContain(PRIVATE_PHONE);
    expect(fullCsv).toContain(PRIVATE_NAME);
    for (const csv of [publicCsv, fullCsv]) expect(csv).not.toContain("TRASHED-ROW");
    const rowCount = workbook.listRows(requests).length;
    expect(Papa.parse(fullCsv.slice(1), { newline: "\r\n", skipEmptyLines: true }).data).toHaveLength(rowCount + 1);
  });

  it("refuses an unknown sheet and a notice page", () => {
    const workbook = sampleWorkbook();
    expect(() => exportSheetCsv(workbook, "nope", { includePrivate: false })).toThrow(
      expect.objectContaining({ code: "unknown_sheet", status: 404 }),
    );
    expect(() => exportSheetCsv(workbook, "notice", { includePrivate: false })).toThrow(ExchangeError);
  });
});

describe("exportWorkbookXlsx", () => {
  it("writes one worksheet per grid sheet with a bold header, widths and frozen header row", async () => {
    const book = await loadXlsx(await exportWorkbookXlsx(sampleWorkbook(), { includePrivate: false }));
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(["求助", "渠道", "医院"]);
    const sheet = book.getWorksheet("求助")!;
    expect(sheet.getRow(1).getCell(1).value).toBe("编号");
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(1).width).toBeCloseTo(100 / 7, 0);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  });

  it("keeps numbers numeric, dates as real dates in UTC+8, selects as labels, links clickable", async () => {
    const { workbook, hostile } = workbookWithHostileRow();
    const book = await loadXlsx(await exportWorkbookXlsx(workbook, { includePrivate: true }));
    const sheet = book.getWorksheet("求助")!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const column = (label: string) => header.indexOf(label);
    const first = sheet.getRow(2);
    expect(first.getCell(column("年龄")).value).toBe(67);
    expect(first.getCell(column("紧急程度")).value).toBe("危急");
    const submitted = first.getCell(column("提交时间"));
    expect(submitted.value).toBeInstanceOf(Date);
    // Excel holds wall-clock time: 08:12 in Shanghai, whatever the reader's zone.
    expect((submitted.value as Date).toISOString()).toBe("2022-04-10T08:12:00.000Z");
    expect(submitted.numFmt).toBe("yyyy-mm-dd hh:mm");
    const rows = workbook.listRows(requests);
    const hostileRow = sheet.getRow(rows.findIndex((row) => row.id === hostile) + 2);
    expect(hostileRow.getCell(column("年龄")).value).toBe(-5);
    expect(hostileRow.getCell(column("需求描述")).value).toBe("'=1+1");
    expect(hostileRow.getCell(column("需求描述")).formula).toBeUndefined();
    expect(hostileRow.getCell(column("街道/小区")).value).toBe("'@SUM(A1:A9)");
    expect(hostileRow.getCell(column("联系电话")).value).toBe(`'+86${PRIVATE_PHONE}`);
    const hospitals = book.getWorksheet("医院")!;
    expect(hospitals.getRow(2).getCell(5).value).toMatch(/^[是否]$/);
    const xml = [...unzipEntries(await exportWorkbookXlsx(workbook, { includePrivate: true })).values()].join("\n");
    expect(xml).not.toContain("<f>");
  });

  it("exports only the sheets asked for, in that order", async () => {
    const book = await loadXlsx(await exportWorkbookXlsx(sampleWorkbook(), { includePrivate: false, sheetIds: ["hospitals", "requests"] }));
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(["医院", "求助"]);
    await expect(exportWorkbookXlsx(sampleWorkbook(), { includePrivate: false, sheetIds: ["notice"] })).rejects.toMatchObject({
      code: "not_grid_sheet",
    });
  });

  it("leaves private columns and trashed rows out of every byte of the file", async () => {
    const { workbook } = workbookWithHostileRow();
    const scan = async (includePrivate: boolean) =>
      [...unzipEntries(await exportWorkbookXlsx(workbook, { includePrivate })).values()].join("\n");
    const publicXml = await scan(false);
    for (const secret of [PRIVATE_PHONE, PRIVATE_NAME, "联系电话", "详细地址", "张某某"]) {
      expect(publicXml, `public XLSX contains ${secret}`).not.toContain(secret);
    }
    const fullXml = await scan(true);
    expect(fullXml).toContain(PRIVATE_PHONE);
    expect(fullXml).toContain(PRIVATE_NAME);
    for (const xml of [publicXml, fullXml]) expect(xml).not.toContain("TRASHED-ROW");
  });

  it("writes a link column as clickable hyperlinks and a chat group as its text", async () => {
    const workbook = sampleWorkbook();
    const link = workbook.addColumn("channels" as SheetId, { type: "url", label: "网址" });
    const [first] = workbook.listRows("channels" as SheetId);
    workbook.setCell("channels" as SheetId, first!.id, link, "https://example.org/help");
    const book = await loadXlsx(await exportWorkbookXlsx(workbook, { includePrivate: false, sheetIds: ["channels"] }));
    const sheet = book.getWorksheet("渠道")!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    expect(sheet.getRow(2).getCell(header.indexOf("网址")).value).toEqual({
      text: "https://example.org/help",
      hyperlink: "https://example.org/help",
    });
    expect(sheet.getColumn(header.indexOf("群聊")).values).toContain("https://example.org/group/dialysis | 2022-04-16 23:59");
  });
});

describe("download names", () => {
  it("names a file after workbook, sheet and the day in Shanghai, and encodes it for Content-Disposition", () => {
    const name = exportFileName("上海医疗/紧急求助", "求助", "csv", new Date("2022-04-11T17:00:00Z"));
    expect(name).toBe("上海医疗 紧急求助-求助-2022-04-12.csv");
    expect(contentDisposition(name)).toBe(`attachment; filename="huzhu-export.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(contentDisposition('Report "x".xlsx')).toBe(`attachment; filename="Report x.xlsx"; filename*=UTF-8''Report%20%22x%22.xlsx`);
    expect(ExportContentType.xlsx).toContain("spreadsheetml");
  });
});
