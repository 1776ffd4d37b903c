import QRCode from "qrcode";

/** A chat-group link's QR code as SVG markup, drawn with the server page's options. */
export function drawQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
