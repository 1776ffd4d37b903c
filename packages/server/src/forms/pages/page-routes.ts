import type { FormField } from "@huzhu/schema";
import { HttpError } from "../../http/errors.ts";
import type { Route, RouteContext } from "../../http/router.ts";
import { type FormDependencies, resolveFormLink } from "../context.ts";
import { readManageView, resolveManageToken, updateRequest, withdrawRequest } from "../manage.ts";
import { formPageScript } from "../page-script.ts";
import { admit, readUrlEncoded, sendHtml } from "../request.ts";
import { HONEYPOT_FIELD, describeForm, managePath, submitForm } from "../submit.ts";
import { errorsByField } from "./fields.ts";
import { type Banner, TICKET_INPUT, renderFormPage, renderMessagePage, renderSuccessPage } from "./form-page.ts";
import { BASE_INPUT, CONFIRM_INPUT, renderManagePage } from "./manage-page.ts";

/** Errors after which the form is shown again with a new ticket (the old one cannot succeed). */
const NEW_TICKET_CODES: ReadonlySet<string> = new Set([
  "invalid_ticket",
  "too_fast",
  "ticket_expired",
  "ticket_used",
  "submission_refused",
]);

function chinese(error: HttpError): string {
  return error.messageZh ?? "出了点问题，请稍后再试";
}

/** An HttpError as a page: a message page, with the status and headers (Retry-After) it carries. */
function messagePage(res: RouteContext["res"], error: HttpError, title = "无法打开"): void {
  sendHtml(res, error.status, renderMessagePage(title, chinese(error)), { ...error.headers });
}

/** Runs a page handler; HttpErrors become Chinese message pages, anything else the JSON 500. */
function page(handle: (context: RouteContext) => Promise<void>): Route["handle"] {
  return async (context) => {
    try {
      await handle(context);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      messagePage(context.res, error);
    }
  };
}

/**
 * Largest body a page form may post. URL encoding writes a Chinese character in 9 bytes, so a full
 * 5,000-character description alone takes 45 KB on the wire; the manage form also carries the
 * answers it first showed.
 */
export const MAX_PAGE_BODY_BYTES = 128 * 1024;

/**
 * The answers of a posted HTML form: every input except the page's own (named with a leading
 * underscore; column ids never start with one) and the honeypot.
 */
function answersOf(params: URLSearchParams): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const [key, value] of params) if (!key.startsWith("_") && key !== HONEYPOT_FIELD) answers[key] = value;
  return answers;
}

/** The answers a manage page first showed, if the posted copy is readable. */
function baseOf(params: URLSearchParams): Record<string, string> | undefined {
  try {
    const base: unknown = JSON.parse(params.get(BASE_INPUT) ?? "");
    if (typeof base !== "object" || base === null || Array.isArray(base)) return undefined;
    return Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return undefined;
  }
}

/** Errors for inputs the page does not have (the form changed since it was loaded). */
function unknownFieldBanner(errors: readonly unknown[] | undefined, fields: readonly FormField[]): Banner | undefined {
  const known = new Set(fields.map((f) => f.id));
  const shown = errorsByField(errors);
  const stray = [...shown.keys()].some((field) => !known.has(field));
  return stray ? { kind: "error", text: "表单内容有变化，请核对后重新提交" } : undefined;
}

/** "还有 2 项需要修改：联系电话、患者姓名。" in the form's order. */
function needsFixing(fields: readonly FormField[], errors: ReadonlyMap<string, string>): string {
  const labels = fields.filter((field) => errors.has(field.id)).map((field) => field.label);
  return `还有 ${labels.length} 项需要修改：${labels.join("、")}。请看标红的地方。`;
}

/** The request form page and the manage page, server-rendered (GET and POST of plain HTML forms). */
export function formPageRoutes(deps: FormDependencies): Route[] {
  const script = async () => (await formPageScript(deps.logger))?.path ?? null;

  async function showForm(
    context: RouteContext,
    status: number,
    options: { values?: Record<string, string>; error?: HttpError; keepTicket?: string } = {},
  ) {
    const link = await resolveFormLink(deps, context.params["token"] ?? "");
    const form = await describeForm(deps, link);
    const error = options.error;
    const errors = errorsByField(error?.code === "invalid_answers" ? error.errors : undefined);
    const banner: Banner | undefined =
      error && error.code !== "invalid_answers"
        ? { kind: "error", text: chinese(error) }
        : error
          ? (unknownFieldBanner(error.errors, form.fields) ?? { kind: "error", text: needsFixing(form.fields, errors) })
          : undefined;
    const privateIds = new Set(form.privateFieldIds);
    sendHtml(
      context.res,
      status,
      renderFormPage({
        title: form.title,
        sheetName: form.sheetName,
        fields: form.fields,
        privateLabels: form.fields.filter((f) => privateIds.has(f.id)).map((f) => f.label),
        ticket: options.keepTicket ?? form.ticket,
        action: `/f/${context.params["token"] ?? ""}`,
        values: options.values ?? {},
        errors,
        banner,
        scriptPath: await script(),
      }),
      error ? { ...error.headers } : {},
    );
  }

  async function showManage(
    context: RouteContext,
    status: number,
    options: { banner?: Banner; values?: Record<string, string>; base?: Record<string, string> | undefined; error?: HttpError } = {},
  ) {
    const { banner, values, error } = options;
    const token = context.params["token"] ?? "";
    const record = await resolveManageToken(deps, token);
    const view = await readManageView(deps, record);
    sendHtml(
      context.res,
      status,
      renderManagePage({
        view,
        path: managePath(token),
        values,
        base: options.base,
        errors: errorsByField(error?.code === "invalid_answers" ? error.errors : undefined),
        banner: banner ?? (error ? { kind: "error", text: chinese(error) } : undefined),
        scriptPath: await script(),
      }),
      error ? { ...error.headers } : {},
    );
  }

  return [
    {
      method: "GET",
      path: "/f/:token",
      handle: page(async (context) => {
        admit(deps, context.req);
        await showForm(context, 200);
      }),
    },
    {
      method: "POST",
      path: "/f/:token",
      handle: page(async (context) => {
        const address = admit(deps, context.req);
        const link = await resolveFormLink(deps, context.params["token"] ?? "");
        const params = await readUrlEncoded(context.req, MAX_PAGE_BODY_BYTES);
        const values = answersOf(params);
        const ticket = params.get(TICKET_INPUT) ?? "";
        try {
          const { reply } = await submitForm(
            deps,
            link,
            { ticket, answers: values, [HONEYPOT_FIELD]: params.get(HONEYPOT_FIELD) ?? "" },
            address,
          );
          const form = await describeForm(deps, link);
          sendHtml(
            context.res,
            201,
            renderSuccessPage({ title: form.title, caseNumber: reply.caseNumber, manageUrl: reply.manageUrl, scriptPath: await script() }),
          );
        } catch (error) {
          if (!(error instanceof HttpError) || error.status === 404 || error.status === 413) throw error;
          // The person's answers are never lost: the form comes back filled in, with the reason.
          await showForm(context, error.status, { values, error, keepTicket: NEW_TICKET_CODES.has(error.code) ? undefined : ticket });
        }
      }),
    },
    {
      method: "GET",
      path: "/m/:token",
      handle: page(async (context) => {
        admit(deps, context.req);
        await showManage(context, 200);
      }),
    },
    {
      method: "POST",
      path: "/m/:token",
      handle: page(async (context) => {
        admit(deps, context.req);
        const record = await resolveManageToken(deps, context.params["token"] ?? "");
        const params = await readUrlEncoded(context.req, MAX_PAGE_BODY_BYTES);
        const values = answersOf(params);
        const base = baseOf(params);
        try {
          await updateRequest(deps, record, { answers: values, base });
          await showManage(context, 200, { banner: { kind: "ok", text: "已保存修改，志愿者会看到更新后的信息。" } });
        } catch (error) {
          if (!(error instanceof HttpError) || error.status === 404) throw error;
          await showManage(context, error.status, { values, base, error });
        }
      }),
    },
    {
      method: "POST",
      path: "/m/:token/withdraw",
      handle: page(async (context) => {
        admit(deps, context.req);
        const record = await resolveManageToken(deps, context.params["token"] ?? "");
        const params = await readUrlEncoded(context.req, MAX_PAGE_BODY_BYTES);
        if (params.get(CONFIRM_INPUT) !== "yes") {
          await showManage(context, 400, { banner: { kind: "error", text: "请先勾选「我确认撤回这条求助」，再点撤回。" } });
          return;
        }
        try {
          await withdrawRequest(deps, record);
          await showManage(context, 200, { banner: { kind: "ok", text: "已撤回这条求助。谢谢您告诉我们。" } });
        } catch (error) {
          if (!(error instanceof HttpError) || error.status === 404) throw error;
          await showManage(context, error.status, { error });
        }
      }),
    },
  ];
}
