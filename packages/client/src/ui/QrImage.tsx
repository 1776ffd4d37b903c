import QRCode from "qrcode";
import { useEffect, useState } from "react";

const cache = new Map<string, Promise<string>>();

/** A QR code as a data URL, drawn once per text and size (many rows share one group link). */
function qrDataUrl(text: string, size: number): Promise<string> {
  const key = `${size}\u0000${text}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = QRCode.toDataURL(text, { margin: 1, width: size * 2, errorCorrectionLevel: "M" });
    cache.set(key, pending);
  }
  return pending;
}

/** The QR code of `text` at `size` CSS pixels (rendered at 2× for sharp phone scans off a screen). */
export function QrImage({ text, size, alt }: { text: string; size: number; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    qrDataUrl(text, size).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [text, size]);
  return src ? (
    <img className="hz-qr" src={src} width={size} height={size} alt={alt} />
  ) : (
    <span className="hz-qr hz-qr-pending" style={{ width: size, height: size }} />
  );
}
