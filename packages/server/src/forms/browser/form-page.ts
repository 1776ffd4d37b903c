/**
 * The form and manage pages' script (bundled by forms/page-script.ts). The pages work without it;
 * it adds, on phones that run it:
 * - inline validation in Chinese with the schema's own rules (`validateFormAnswer`), shown when a
 *   field is left and updated as the person types, so a fix clears the message at once;
 * - on submit, every field checked, the first problem focused, and the button disabled so a
 *   double tap sends one request (the server would answer a repeat with the same result anyway);
 * - a copy button for the manage link.
 */
import { type FormField, validateFormAnswer } from "@huzhu/schema";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// Older WebViews (Android 9's Chrome 69, WeChat's) lack Object.hasOwn, which the schema uses.
if (typeof Object.hasOwn !== "function") {
  Object.defineProperty(Object, "hasOwn", {
    // biome-ignore lint/suspicious/noPrototypeBuiltins: this is the polyfill for Object.hasOwn.
    value: (object: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(object, key),
  });
}

function readFields(): FormField[] {
  const element = document.getElementById("hz-fields");
  try {
    return element?.textContent ? (JSON.parse(element.textContent) as FormField[]) : [];
  } catch {
    return [];
  }
}

function controlsOf(form: HTMLFormElement, name: string): Control[] {
  return Array.from(form.elements).filter(
    (element): element is Control =>
      (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) &&
      element.name === name,
  );
}

function currentAnswer(controls: readonly Control[]): string {
  for (const control of controls) {
    if (control instanceof HTMLInputElement && (control.type === "radio" || control.type === "checkbox")) {
      if (control.checked) return control.value;
      continue;
    }
    return control.value;
  }
  return "";
}

interface Checked {
  readonly field: FormField;
  /** Runs the check and shows or clears the message; true when the answer is acceptable. */
  check(showRequired: boolean): boolean;
  focus(): void;
}

function watchField(form: HTMLFormElement, field: FormField): Checked | null {
  const controls = controlsOf(form, field.id);
  const container = form.querySelector<HTMLElement>(`[data-field="${field.id}"]`);
  const message = document.getElementById(`err-${field.id}`);
  if (controls.length === 0 || !container || !message) return null;
  let touched = false;

  const show = (text: string | null) => {
    message.textContent = text ?? "";
    message.hidden = text === null;
    container.classList.toggle("invalid", text !== null);
    for (const control of controls) control.setAttribute("aria-invalid", String(text !== null));
  };
  const check = (showRequired: boolean) => {
    const error = validateFormAnswer(field, currentAnswer(controls));
    // An empty required field is only pointed out once the person has been there (or submits).
    if (error?.code === "required" && !showRequired) {
      show(null);
      return false;
    }
    show(error ? error.messageZh : null);
    return error === null;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  container.addEventListener("focusout", (event) => {
    touched = true;
    // A message appearing now would push the button down under a finger already on its way to
    // it, and the tap would miss: when focus goes to the submit button, submitting checks all;
    // otherwise (iOS does not focus buttons) the message waits until a tap has landed.
    const next = (event as FocusEvent).relatedTarget;
    if (next instanceof HTMLButtonElement && next.type === "submit") return;
    clearTimeout(timer);
    timer = setTimeout(() => check(true), 250);
  });
  const onEdit = () => {
    clearTimeout(timer);
    // While typing: a shown message updates at once (so a fix clears it); a new one waits for a pause.
    if (!message.hidden) check(touched);
    else timer = setTimeout(() => check(touched), 700);
  };
  container.addEventListener("input", onEdit);
  container.addEventListener("change", onEdit);
  return { field, check, focus: () => controls[0]?.focus() };
}

function enhanceForm(form: HTMLFormElement, fields: readonly FormField[]): void {
  // Our messages replace the browser's own bubbles (in whatever language the phone uses).
  form.noValidate = true;
  const checks = fields.map((field) => watchField(form, field)).filter((c): c is Checked => c !== null);
  const summary = form.querySelector<HTMLElement>("#hz-summary");
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  const label = button?.textContent ?? "";

  form.addEventListener("submit", (event) => {
    const failing = checks.filter((c) => !c.check(true));
    if (failing.length > 0) {
      event.preventDefault();
      if (summary) {
        summary.textContent = `还有 ${failing.length} 项需要修改：${failing.map((c) => c.field.label).join("、")}。请看标红的地方。`;
        summary.hidden = false;
      }
      failing[0]?.focus();
      return;
    }
    if (summary) summary.hidden = true;
    if (button) {
      button.disabled = true;
      button.textContent = button.dataset["busyText"] ?? label;
    }
  });
  // Coming back with the browser's back button must not leave the button disabled.
  window.addEventListener("pageshow", () => {
    if (button) {
      button.disabled = false;
      button.textContent = label;
    }
  });
}

function enhanceCopyButtons(): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-copy]"))) {
    const source = document.getElementById(button.dataset["copy"] ?? "");
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(source.textContent?.trim() ?? "").then(
        () => {
          button.textContent = "已复制，请妥善保存";
        },
        () => {
          button.textContent = "复制失败，请长按链接手动复制";
        },
      );
    });
  }
}

function start(): void {
  const fields = readFields();
  for (const form of Array.from(document.querySelectorAll<HTMLFormElement>("form[data-hz-form]"))) enhanceForm(form, fields);
  for (const form of Array.from(document.querySelectorAll<HTMLFormElement>("form#withdraw"))) {
    form.addEventListener("submit", () => {
      const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) button.disabled = true;
    });
  }
  enhanceCopyButtons();
}

start();
