import {
  type CellValue,
  type ChatGroupLink,
  ColumnType,
  type FormField,
  type FormFieldError,
  formatInstantCst,
  isChoiceColumn,
} from "@huzhu/schema";
import { type SafeHtml, html, trusted } from "../../public-view/html.ts";

/** Select and status fields with this many options or fewer show as big radio buttons. */
const MAX_RADIO_OPTIONS = 8;

/** Option colours marked on radio choices: the ones that say "urgent" (危急, 紧急, 急症…). */
const WARNING_TONES: ReadonlySet<string> = new Set(["red", "orange", "yellow"]);

/** What the inputs show: the raw text a person typed or chose, by field id. */
export type FieldValues = Readonly<Record<string, string>>;

/** Errors to show next to the inputs, by field id. */
export type FieldErrors = ReadonlyMap<string, string>;

function isFieldError(value: unknown): value is FormFieldError {
  return typeof value === "object" && value !== null && typeof (value as FormFieldError).messageZh === "string";
}

/** The Chinese messages of validation errors (an HttpError's `errors`), first one per field. */
export function errorsByField(errors: readonly unknown[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const error of errors ?? []) {
    if (isFieldError(error) && error.field && !map.has(error.field)) map.set(error.field, error.messageZh);
  }
  return map;
}

/** A stored cell as the text an input shows (manage page), e.g. an instant in China time. */
export function inputText(field: FormField, value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (field.type === ColumnType.checkbox) return value === true ? "true" : "";
  if (field.type === ColumnType.dateTime && typeof value === "string") return formatInstantCst(value).replace(" ", "T");
  if (field.type === ColumnType.chatGroup && typeof value === "object") {
    const link = value as ChatGroupLink;
    return link.expiresAt ? `${link.url} | ${formatInstantCst(link.expiresAt)}` : link.url;
  }
  return String(value);
}

/** Input type and extra attributes per column type; anything else is one line of text. */
const INPUT_KINDS: Partial<Record<ColumnType, readonly [type: string, attributes: string]>> = {
  [ColumnType.phone]: ["tel", ' inputmode="tel" autocomplete="tel" maxlength="30"'],
  [ColumnType.number]: ["text", ' inputmode="decimal" maxlength="30"'],
  [ColumnType.url]: ["url", ' inputmode="url" maxlength="2000"'],
  [ColumnType.dateTime]: ["datetime-local", ""],
  [ColumnType.person]: ["text", ' maxlength="100"'],
  [ColumnType.chatGroup]: ["text", ' maxlength="2100"'],
};

function textInput(field: FormField, value: string, describedBy: string): SafeHtml {
  const required = trusted(field.required ? " required" : "");
  if (field.type === ColumnType.longText) {
    return html`<textarea id="in-${field.id}" name="${field.id}" rows="4" maxlength="5000" aria-describedby="${describedBy}"${required}>${value}</textarea>`;
  }
  const [type, attributes] = INPUT_KINDS[field.type] ?? ["text", ' maxlength="500"'];
  return html`<input id="in-${field.id}" name="${field.id}" type="${type}"${trusted(attributes)} value="${value}" aria-describedby="${describedBy}"${required}>`;
}

function requiredMark(field: FormField): SafeHtml | string {
  return field.required ? html`<span class="req">必填</span>` : "";
}

function help(field: FormField): SafeHtml | string {
  return field.description ? html`<p class="help" id="help-${field.id}">${field.description}</p>` : "";
}

function errorLine(field: FormField, error: string | undefined): SafeHtml {
  return html`<p class="error" id="err-${field.id}" aria-live="polite"${trusted(error ? "" : " hidden")}>${error ?? ""}</p>`;
}

function describedBy(field: FormField): string {
  return field.description ? `help-${field.id} err-${field.id}` : `err-${field.id}`;
}

/** One question: label, help text, input, and the place its error appears. */
export function renderField(field: FormField, value: string, error: string | undefined): SafeHtml {
  const invalid = error ? " invalid" : "";
  const isChoice = isChoiceColumn(field);
  if (isChoice && field.options.length <= MAX_RADIO_OPTIONS) {
    const options = field.options.map(
      (option) =>
        html`<label class="choice${WARNING_TONES.has(option.color) ? ` tone-${option.color}` : ""}"><input type="radio" name="${field.id}" value="${option.id}"${trusted(option.id === value ? " checked" : "")}${trusted(field.required ? " required" : "")}> <span>${option.label}</span></label>`,
    );
    return html`<fieldset class="field${invalid}" data-field="${field.id}" aria-describedby="${describedBy(field)}"><legend>${field.label}${requiredMark(field)}</legend>${help(field)}<div class="choices">${options}</div>${errorLine(field, error)}</fieldset>`;
  }
  if (isChoice) {
    const options = field.options.map(
      (option) => html`<option value="${option.id}"${trusted(option.id === value ? " selected" : "")}>${option.label}</option>`,
    );
    return html`<div class="field${invalid}" data-field="${field.id}"><label for="in-${field.id}">${field.label}${requiredMark(field)}</label>${help(field)}<select id="in-${field.id}" name="${field.id}" aria-describedby="${describedBy(field)}"${trusted(field.required ? " required" : "")}><option value="">请选择</option>${options}</select>${errorLine(field, error)}</div>`;
  }
  if (field.type === ColumnType.checkbox) {
    return html`<div class="field${invalid}" data-field="${field.id}">${help(field)}<label class="check"><input type="checkbox" id="in-${field.id}" name="${field.id}" value="true"${trusted(value === "true" ? " checked" : "")} aria-describedby="${describedBy(field)}"> <span>${field.label}</span></label>${errorLine(field, error)}</div>`;
  }
  return html`<div class="field${invalid}" data-field="${field.id}"><label for="in-${field.id}">${field.label}${requiredMark(field)}</label>${help(field)}${textInput(field, value, describedBy(field))}${errorLine(field, error)}</div>`;
}

/**
 * The field definitions for the page script, as JSON inside a non-executing script element.
 * `<` is escaped so no label can close the element.
 */
export function fieldsJson(fields: readonly FormField[]): SafeHtml {
  const json = JSON.stringify(fields)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return html`<script type="application/json" id="hz-fields">${trusted(json)}</script>`;
}
