import { formatInstantCst } from "@huzhu/schema";

/** An ISO instant as the value of a `datetime-local` input showing China Standard Time. */
export function toCstInput(iso: string | null): string {
  return iso ? formatInstantCst(iso).replace(" ", "T") : "";
}

/** A `datetime-local` value as text the schema reads as China Standard Time (or "" for none). */
export function fromCstInput(value: string): string {
  return value.replace("T", " ");
}

/** Now, or `days` from now, as a `datetime-local` value in China Standard Time. */
export function cstInputFromNow(days = 0, now: Date = new Date()): string {
  return toCstInput(new Date(now.getTime() + days * 86_400_000).toISOString());
}
