/**
 * Copies text to the clipboard. The Clipboard API needs a secure context (https or localhost);
 * a server reached by LAN address over http falls back to selecting the text in its field and the
 * old copy command. Returns whether it worked.
 */
export async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.focus();
    field.select();
    return document.execCommand("copy");
  }
}
