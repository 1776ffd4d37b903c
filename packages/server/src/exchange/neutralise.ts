// OWASP "CSV injection": a spreadsheet program runs a cell starting with one of these as a formula
// (or, for tab/CR/NUL, may shift it into one). Prefixing a single quote makes it plain text.
const FORMULA_START = /^[=+\-@\t\r\0]/;
// A plain decimal such as -5 or -0.25 is a number to every spreadsheet, never a formula.
const PLAIN_NEGATIVE_NUMBER = /^-\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const NEUTRALISED = /^'[=+\-@\t\r\0]/;

/**
 * Text safe to put in a spreadsheet cell: a leading `'` is added when the text would otherwise
 * start a formula. Plain negative numbers (`-5`) are left alone.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NEGATIVE_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * Undoes `neutraliseFormula` on imported text, so a file this module exported imports unchanged.
 * Only a quote followed by a formula character is removed; any other leading quote is data.
 */
export function restoreNeutralised(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}
