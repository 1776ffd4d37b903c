import type { OptionColor } from "@huzhu/schema";

/** Chip and row-tint colours, shared by the page's CSS and its inline classes. */
export const COLOR_CSS: Readonly<Record<OptionColor, { chip: string; text: string; tint: string }>> = {
  none: { chip: "#eef0f3", text: "#3b4350", tint: "transparent" },
  red: { chip: "#fde2e1", text: "#a4161a", tint: "#fff1f0" },
  orange: { chip: "#ffe8cc", text: "#a24b00", tint: "#fff7ec" },
  yellow: { chip: "#fff3bf", text: "#7a5d00", tint: "#fffbe6" },
  green: { chip: "#d3f9d8", text: "#1b6e2a", tint: "transparent" },
  blue: { chip: "#d0ebff", text: "#1c5d99", tint: "transparent" },
  purple: { chip: "#eebefa", text: "#6b2180", tint: "transparent" },
  gray: { chip: "#e9ecef", text: "#495057", tint: "transparent" },
};

const colorRules = Object.entries(COLOR_CSS)
  .map(([name, c]) => `.chip-${name}{background:${c.chip};color:${c.text}}.tint-${name}{background:${c.tint}}`)
  .join("");

/** The public page's stylesheet: phone first, readable without JavaScript. */
export const PUBLIC_PAGE_CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2933;background:#f5f6f8}
header{background:#0b5cad;color:#fff;padding:12px 16px}header h1{margin:0;font-size:18px}header p{margin:2px 0 0;font-size:12px;opacity:.85}
nav{display:flex;gap:4px;overflow-x:auto;background:#fff;border-bottom:1px solid #dde1e6;padding:0 8px;position:sticky;top:0;z-index:2}
nav a{padding:10px 12px;color:#3b4350;text-decoration:none;white-space:nowrap;border-bottom:3px solid transparent}nav a[aria-current=page]{color:#0b5cad;border-color:#0b5cad;font-weight:600}
main{padding:12px;max-width:1100px;margin:0 auto}
form.search{display:flex;gap:8px;margin-bottom:12px}form.search input{flex:1;padding:10px;border:1px solid #c8ced6;border-radius:8px;font-size:16px}form.search button{padding:10px 16px;border:0;border-radius:8px;background:#0b5cad;color:#fff;font-size:15px}
.count{color:#5b6573;font-size:13px;margin:0 0 8px}
.cards{display:grid;gap:10px;grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}
.card{background:#fff;border:1px solid #e1e5ea;border-radius:10px;padding:12px}
.card h2{font-size:16px;margin:0 0 6px;display:flex;gap:6px;flex-wrap:wrap;align-items:center}
.card dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;font-size:14px}.card dt{color:#6b7380}.card dd{margin:0;word-break:break-word}
.chip{display:inline-block;border-radius:999px;padding:1px 8px;font-size:12px;font-weight:600}
.qr{display:flex;gap:8px;align-items:center}.qr svg{width:96px;height:96px;flex:none}.expired{color:#a4161a;font-weight:600}
.notice{background:#fff;border-radius:10px;padding:16px;white-space:pre-wrap}
.stats{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}.stats span{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:6px 10px}
footer{color:#6b7380;font-size:12px;text-align:center;padding:16px}
${colorRules}`;
