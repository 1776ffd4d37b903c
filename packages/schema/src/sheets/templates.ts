import type * as Y from "yjs";
import { type Workbook, openWorkbook } from "../doc/workbook.ts";
import type { SheetId } from "../ids.ts";
import { DEFAULT_RETENTION_DAYS, type RetentionPolicy } from "../retention.ts";
import { sampleChannels, sampleHospitals, sampleRequests } from "./sample-data.ts";
import { shanghaiMedicalSheets } from "./shanghai-medical.ts";
import { PublicMode, type SheetInput, SheetKind } from "./sheet.ts";

/** A starting point for a new workbook. */
export interface Template {
  readonly id: string;
  readonly title: string;
  readonly casePrefix: string;
  readonly sheets: readonly SheetInput[];
  /** The sheet the request form appends to. */
  readonly formSheetId: string | null;
  /** Purge policy for personal data, if the template collects any. */
  readonly retention: RetentionPolicy | null;
  /** Fictitious demo rows per sheet id. */
  readonly sample: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
}

export const TemplateId = { shanghaiMedical: "shanghai-medical", blank: "blank" } as const;
export type TemplateId = (typeof TemplateId)[keyof typeof TemplateId];

export const templates: Readonly<Record<TemplateId, Template>> = {
  [TemplateId.shanghaiMedical]: {
    id: TemplateId.shanghaiMedical,
    title: "上海医疗紧急求助",
    casePrefix: "SH",
    sheets: shanghaiMedicalSheets,
    formSheetId: "requests",
    retention: { sheetId: "requests", statusColumnId: "followUp", closedOptionIds: ["resolved", "closed"], days: DEFAULT_RETENTION_DAYS },
    sample: { requests: sampleRequests, channels: sampleChannels, hospitals: sampleHospitals },
  },
  [TemplateId.blank]: {
    id: TemplateId.blank,
    title: "新工作簿",
    casePrefix: "HZ",
    sheets: [
      { id: "notice", name: "首页", kind: SheetKind.notice, body: "在这里写下本表的用途和使用方法。", publicMode: PublicMode.all },
      {
        id: "sheet1",
        name: "工作表1",
        columns: [
          { id: "title", type: "text", label: "标题", inForm: true, required: true },
          { id: "notes", type: "longText", label: "备注" },
        ],
      },
    ],
    formSheetId: null,
    retention: null,
    sample: {},
  },
};

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === "string" && Object.hasOwn(templates, value);
}

/**
 * Fills an empty document from a template in one transaction. The server does this once when it
 * creates a workbook; clients never do (two peers creating one sheet concurrently would each lose
 * the other's nested maps).
 */
export function createFromTemplate(
  ydoc: Y.Doc,
  templateId: TemplateId,
  options: { title?: string; sampleData?: boolean; origin?: unknown } = {},
): Workbook {
  const template = templates[templateId];
  const workbook = openWorkbook(ydoc, { origin: options.origin });
  workbook.transact(() => {
    workbook.setMeta({ title: options.title ?? template.title, templateId: template.id, casePrefix: template.casePrefix });
    for (const sheet of template.sheets) workbook.addSheet(sheet);
    if (template.formSheetId) workbook.setMeta({ formSheetId: template.formSheetId as SheetId });
    if (template.retention) workbook.setMeta({ retention: template.retention });
    if (options.sampleData) {
      for (const [sheetId, rows] of Object.entries(template.sample)) workbook.insertRows(sheetId as SheetId, rows);
    }
  });
  return workbook;
}
