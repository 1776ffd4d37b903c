import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TemplateId, isWorkbookId } from "@huzhu/schema";
import { linkUrl } from "./links.ts";
import { LinkRole } from "./storage/doc-store.ts";
import type { DocStore } from "./storage/doc-store.ts";
import { type CreatedWorkbook, type WorkbookUrls, workbookLinkUrl } from "./workbooks.ts";

/** Where the demo workbook's id and editor token are kept, so every start can print its link. */
export const DEMO_FILE = "demo.json";

/** The demo workbook and its links (admin, public and form ones for demos created since they exist). */
export interface DemoWorkbook {
  readonly id: string;
  readonly editorUrl: string;
  readonly editorToken: string;
  readonly adminUrl: string | undefined;
  readonly publicPageUrl: string | undefined;
  /** The request form people in need fill in on a phone. */
  readonly formUrl: string | undefined;
}

interface DemoFile {
  id: string;
  editorToken: string;
  adminToken?: string | undefined;
  publicToken?: string | undefined;
  formToken?: string | undefined;
}

function readDemoFile(file: string): DemoFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const { id, editorToken, adminToken, publicToken, formToken } = parsed;
    if (!isWorkbookId(id) || typeof editorToken !== "string") return undefined;
    const optional = (value: unknown) => (typeof value === "string" ? value : undefined);
    return {
      id,
      editorToken,
      adminToken: optional(adminToken),
      publicToken: optional(publicToken),
      formToken: optional(formToken),
    };
  } catch {
    return undefined;
  }
}

function demoLinks(urls: WorkbookUrls, demo: DemoFile): DemoWorkbook {
  const url = (role: LinkRole, token: string | undefined) => (token ? linkUrl(urls.publicUrl, role, demo.id, token) : undefined);
  return {
    id: demo.id,
    editorToken: demo.editorToken,
    editorUrl: workbookLinkUrl(urls.publicUrl, demo.id, demo.editorToken),
    adminUrl: url(LinkRole.admin, demo.adminToken),
    publicPageUrl: url(LinkRole.public, demo.publicToken),
    formUrl: url(LinkRole.form, demo.formToken),
  };
}

/**
 * The demo workbook (template shanghai-medical with fictitious sample data): created on the first
 * start, found again on later ones. Recreated if its file or its workbook went missing.
 */
export async function ensureDemoWorkbook(
  dataDir: string,
  store: DocStore,
  urls: WorkbookUrls,
  createWorkbook: (body: unknown) => Promise<CreatedWorkbook>,
): Promise<DemoWorkbook> {
  const file = join(dataDir, DEMO_FILE);
  const known = readDemoFile(file);
  if (known && (await store.findWorkbook(known.id))) return demoLinks(urls, known);
  const created = await createWorkbook({ template: TemplateId.shanghaiMedical, title: "上海医疗紧急求助（演示）", sampleData: true });
  const demo: DemoFile = {
    id: created.id,
    editorToken: created.links.editor.token,
    adminToken: created.links.admin.token,
    publicToken: created.links.public.token,
    formToken: created.links.form.token,
  };
  // The file holds live link tokens: owner-only, like the admin token.
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return demoLinks(urls, demo);
}
