import type { FormField } from "@huzhu/schema";
import { type SafeHtml, html } from "../../public-view/html.ts";
import { HONEYPOT_FIELD } from "../submit.ts";
import { type FieldErrors, type FieldValues, fieldsJson, renderField } from "./fields.ts";
import { renderShell } from "./layout.ts";

/** A message across the top of a page. */
export interface Banner {
  readonly kind: "error" | "ok" | "warn";
  readonly text: string;
}

/** Name of the hidden input that carries the form ticket. */
export const TICKET_INPUT = "_ticket";

/** What the request form page shows. */
export interface FormPageModel {
  readonly title: string;
  readonly sheetName: string;
  readonly fields: readonly FormField[];
  /** Labels of the in-form fields only volunteers see, named in the privacy line. */
  readonly privateLabels: readonly string[];
  readonly ticket: string;
  /** Where the form posts, e.g. /f/<token>. */
  readonly action: string;
  readonly values?: FieldValues;
  readonly errors?: FieldErrors;
  readonly banner?: Banner | undefined;
  readonly scriptPath: string | null;
}

/** A banner paragraph. */
export function renderBanner(banner: Banner | undefined): SafeHtml | string {
  return banner
    ? html`<p class="banner banner-${banner.kind}" role="${banner.kind === "error" ? "alert" : "status"}">${banner.text}</p>`
    : "";
}

/**
 * The request form: every in-form question, a hidden ticket, an off-screen honeypot. It posts as
 * a plain HTML form, so it works on any phone without JavaScript; the page script adds inline
 * validation in Chinese as people type.
 */
export function renderFormPage(model: FormPageModel): string {
  const values = model.values ?? {};
  const errors = model.errors ?? new Map<string, string>();
  const privacy =
    model.privateLabels.length > 0 ? html`<p class="lead">${model.privateLabels.join("、")}只有志愿者能看到，不会公开。</p>` : "";
  const body = html`${renderBanner(model.banner)}
<section class="card"><h2>填写求助信息</h2>
<p class="lead"><strong>危及生命请先拨打 <a href="tel:120">120</a>。</strong></p>
<p class="lead">标有「必填」的项目必须填写。提交后您会得到求助编号和一个私人链接，可以查看进度、补充信息或撤回。</p>${privacy}</section>
<form class="card" method="post" action="${model.action}" data-hz-form>
<p class="banner banner-error summary" id="hz-summary" role="alert" hidden></p>
<input type="hidden" name="${TICKET_INPUT}" value="${model.ticket}">
<div class="trap" aria-hidden="true"><label>个人主页（请勿填写）<input type="text" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off"></label></div>
${model.fields.map((field) => renderField(field, values[field.id] ?? "", errors.get(field.id)))}
<button class="primary" type="submit" data-busy-text="正在提交…">提交求助</button>
</form>
${fieldsJson(model.fields)}`;
  return renderShell({
    title: `${model.sheetName} · ${model.title}`,
    heading: model.title,
    subheading: `${model.sheetName} · 求助表单`,
    body,
    scriptPath: model.scriptPath,
  });
}

/** What the page after a stored submission shows. */
export interface SuccessPageModel {
  readonly title: string;
  readonly caseNumber: string;
  readonly manageUrl: string;
  readonly scriptPath: string | null;
}

/** The case number and the private manage link, with a warning to keep the link to oneself. */
export function renderSuccessPage(model: SuccessPageModel): string {
  const body = html`<p class="banner banner-ok" role="status">✓ 提交成功，志愿者会尽快联系您核实，请保持电话畅通。</p>
<section class="card"><h2>您的求助编号</h2><p class="case" id="case-number">${model.caseNumber}</p>
<p class="lead">联系志愿者时请报这个编号。</p></section>
<section class="card"><h2>您的私人链接</h2>
<p class="lead">用这个链接可以随时查看处理进度、补充信息或撤回求助。请截图或收藏保存。</p>
<p class="banner banner-warn"><strong>请勿转发：</strong>任何拿到这个链接的人都能看到并修改您的求助信息（包括电话和地址）。不要发到群里。</p>
<p class="link-box" id="manage-url">${model.manageUrl}</p>
<button class="secondary" type="button" data-copy="manage-url" hidden>复制链接</button>
<a class="button primary spaced" id="manage-link" href="${model.manageUrl}">打开我的求助页面</a>
</section>`;
  return renderShell({
    title: `已提交 ${model.caseNumber}`,
    heading: model.title,
    subheading: "求助已提交",
    body,
    scriptPath: model.scriptPath,
  });
}

/** A page that says, in Chinese, why nothing can be shown (unknown link, closed form…). */
export function renderMessagePage(title: string, message: string): string {
  return renderShell({ title, heading: title, body: html`<p class="banner banner-error" role="alert">${message}</p>` });
}
