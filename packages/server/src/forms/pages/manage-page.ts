import { type SelectOption, formatInstantCst } from "@huzhu/schema";
import { type SafeHtml, html } from "../../public-view/html.ts";
import type { ManageView } from "../manage.ts";
import { type FieldErrors, type FieldValues, fieldsJson, inputText, renderField } from "./fields.ts";
import { type Banner, renderBanner } from "./form-page.ts";
import { renderShell } from "./layout.ts";

/** Name of the checkbox that confirms a withdrawal. */
export const CONFIRM_INPUT = "confirm";

/** Name of the hidden input holding the answers as the page first showed them (JSON). */
export const BASE_INPUT = "_base";

/** What the manage page shows. */
export interface ManagePageModel {
  readonly view: ManageView;
  /** Path of this page, e.g. /m/<token>; the forms post to it and to its /withdraw. */
  readonly path: string;
  /** What the inputs show after a refused update; otherwise the stored values. */
  readonly values?: FieldValues | undefined;
  /** What the page showed before the refused update (kept so only real changes are written). */
  readonly base?: FieldValues | undefined;
  readonly errors?: FieldErrors;
  readonly banner?: Banner | undefined;
  readonly scriptPath: string | null;
}

function chip(option: SelectOption | null): SafeHtml {
  return option ? html`<span class="chip chip-${option.color}">${option.label}</span>` : html`<span class="chip chip-none">—</span>`;
}

function statusCard(view: ManageView): SafeHtml {
  const state = view.withdrawn
    ? html`<p class="banner banner-warn">您已撤回这条求助。如仍需帮助，请重新提交。</p>`
    : view.removed
      ? html`<p class="banner banner-warn">这条求助已被志愿者移除。如仍需帮助，请重新提交。</p>`
      : view.closed
        ? html`<p class="banner banner-ok">这条求助已结案。如仍需帮助，请重新提交。</p>`
        : "";
  return html`<section class="card"><h2>求助编号</h2><p class="case" id="case-number">${view.caseNumber}</p>
<dl class="facts">
<dt>核实状态</dt><dd id="verification">${chip(view.verification)}</dd>
<dt>跟进状态</dt><dd id="follow-up">${chip(view.followUp)}</dd>
${view.submittedAt ? html`<dt>提交时间</dt><dd>${formatInstantCst(view.submittedAt)}</dd>` : ""}
</dl>${state}</section>`;
}

/**
 * The requester's page for one request: its case number and statuses, its in-form fields to
 * correct, and a withdraw button. Nothing else of the workbook is shown.
 */
export function renderManagePage(model: ManagePageModel): string {
  const { view } = model;
  const stored = Object.fromEntries(view.fields.map((field) => [field.id, inputText(field, view.answers[field.id] ?? null)]));
  const values = model.values ?? stored;
  const errors = model.errors ?? new Map<string, string>();
  const edit = view.editable
    ? html`<form class="card" method="post" action="${model.path}" data-hz-form>
<h2>修改信息</h2><p class="lead">情况有变化（比如病情、地址或电话）请在这里更新，志愿者会看到。</p>
<p class="banner banner-error summary" id="hz-summary" role="alert" hidden></p>
<input type="hidden" name="${BASE_INPUT}" value="${JSON.stringify(model.base ?? stored)}">
${view.fields.map((field) => renderField(field, values[field.id] ?? "", errors.get(field.id)))}
<button class="primary" type="submit" data-busy-text="正在保存…">保存修改</button>
</form>
<form class="card" method="post" action="${model.path}/withdraw" id="withdraw">
<h2>撤回求助</h2><p class="lead">问题已经解决或不再需要帮助时，请撤回，让志愿者把时间留给其他人。撤回后不能恢复。</p>
<label class="check"><input type="checkbox" name="${CONFIRM_INPUT}" value="yes" required> <span>我确认撤回这条求助</span></label>
<button class="danger spaced" type="submit" data-busy-text="正在撤回…">撤回求助</button>
</form>
${fieldsJson(view.fields)}`
    : "";
  const body = html`${renderBanner(model.banner)}${statusCard(view)}
<p class="banner banner-warn"><strong>请勿转发这个链接：</strong>拿到链接的人都能看到和修改您的求助信息。</p>
${edit}`;
  return renderShell({
    title: `我的求助 ${view.caseNumber}`,
    heading: view.title,
    subheading: `我的求助 · ${view.sheetName}`,
    body,
    scriptPath: view.editable ? model.scriptPath : null,
  });
}
