import type { QrSource } from "./render.ts";

/**
 * QR codes of chat-group links. The server's page already holds one for every link it showed, so
 * those are taken from it; only a link that appears later is drawn here, with the QR library
 * loaded on first need (most updates never need it, and phones on weak networks should not pay
 * for it up front).
 */
export class QrCodes implements QrSource {
  private readonly known = new Map<string, string>();
  private readonly drawing = new Set<string>();
  private readonly onDrawn: () => void;

  /** `onDrawn` runs when a code that was missing is ready (re-render to show it). */
  constructor(onDrawn: () => void) {
    this.onDrawn = onDrawn;
  }

  /** Remembers the codes in the page: each `.qr` box pairs an SVG with its link. */
  collect(root: ParentNode): void {
    for (const box of root.querySelectorAll(".qr")) {
      const svg = box.querySelector("svg");
      const href = box.querySelector("a[href]")?.getAttribute("href");
      if (svg && href) this.known.set(href, svg.outerHTML);
    }
  }

  svg(url: string): string | undefined {
    const known = this.known.get(url);
    if (known === undefined) void this.draw(url);
    return known;
  }

  private async draw(url: string): Promise<void> {
    if (this.drawing.has(url)) return;
    this.drawing.add(url);
    try {
      const { drawQrSvg } = await import("./qr-draw.ts");
      this.known.set(url, await drawQrSvg(url));
      this.onDrawn();
    } catch {
      // Without the code the card still has the link itself.
    } finally {
      this.drawing.delete(url);
    }
  }
}
