/**
 * The Content-Security-Policy for the client. AG Grid injects its styles at runtime, hence
 * 'unsafe-inline' for styles only; scripts come from our own origin alone. QR codes are data: images.
 */
export function contentSecurityPolicy(collabOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${collabOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** Headers every response carries. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    // Links carry tokens in the fragment, which browsers never send; no-referrer also keeps the
    // workbook id in the path from leaking to sites a volunteer follows a link to.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
}
