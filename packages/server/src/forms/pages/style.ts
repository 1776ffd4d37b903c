import { COLOR_CSS } from "../../public-view/style.ts";

const chipRules = Object.entries(COLOR_CSS)
  .map(([name, c]) => `.chip-${name}{background:${c.chip};color:${c.text}}.tone-${name}{border-left:6px solid ${c.text}}`)
  .join("");

/**
 * The form and manage pages' stylesheet. Phone first: one column, 16–18 px text, touch targets
 * at least 48 px high, strong focus rings, errors in red text (not colour alone: each starts
 * with a mark and is tied to its input by aria-describedby).
 */
export const FORM_PAGE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.55 system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2933;background:#f3f5f8}
header{background:#0b5cad;color:#fff;padding:14px 16px}
header h1{margin:0;font-size:20px;line-height:1.3}
header p{margin:4px 0 0;font-size:14px;opacity:.9}
main{padding:12px;max-width:640px;margin:0 auto}
footer{color:#5b6573;font-size:14px;text-align:center;padding:20px 16px 28px}
a{color:#0b5cad}
.card{background:#fff;border:1px solid #dfe3e8;border-radius:12px;padding:16px;margin:0 0 12px}
.card h2{margin:0 0 8px;font-size:18px}
.lead{margin:0 0 4px;color:#3b4350;font-size:15px}
.banner{border-radius:12px;padding:14px 16px;margin:0 0 12px;font-size:16px}
.banner-error{background:#fde2e1;color:#8a1116;border:1px solid #f5b5b3}
.banner-ok{background:#d3f9d8;color:#145523;border:1px solid #a6e3b1}
.banner-warn{background:#fff3bf;color:#5c4500;border:1px solid #f0d676}
.field{margin:0 0 18px;border:0;padding:0;min-width:0}
.field>label,.field>legend{display:block;font-weight:600;margin:0 0 6px;padding:0;font-size:17px}
.req{display:inline-block;margin-left:6px;font-size:13px;font-weight:600;color:#a4161a;background:#fde2e1;border-radius:6px;padding:0 6px;vertical-align:2px}
.help{margin:-2px 0 8px;color:#5b6573;font-size:15px}
input[type=text],input[type=tel],input[type=url],input[type=datetime-local],select,textarea{width:100%;min-height:50px;padding:12px;font:inherit;font-size:17px;color:inherit;background:#fff;border:1.5px solid #b8c0ca;border-radius:10px}
textarea{min-height:120px;resize:vertical}
input:focus,select:focus,textarea:focus{outline:3px solid #8cc0f2;outline-offset:1px;border-color:#0b5cad}
.choices{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.choice{display:flex;align-items:center;gap:10px;min-height:50px;padding:10px 12px;border:1.5px solid #b8c0ca;border-radius:10px;background:#fff;font-size:17px}
.choice input{width:22px;height:22px;margin:0;flex:none}
.choice:has(input:checked){border-color:#0b5cad;background:#e8f1fb;font-weight:600}
.choice:has(input:focus-visible){outline:3px solid #8cc0f2}
.check{display:flex;align-items:center;gap:12px;min-height:50px;font-size:17px}
.check input{width:24px;height:24px;margin:0}
.error{margin:6px 0 0;color:#a4161a;font-size:15px;font-weight:600}
.error::before{content:"⚠ "}
.invalid input[type=text],.invalid input[type=tel],.invalid input[type=url],.invalid input[type=datetime-local],.invalid select,.invalid textarea,.invalid .choice{border-color:#d0312d;background:#fff8f8}
.trap{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
button,.button{display:flex;align-items:center;justify-content:center;width:100%;min-height:54px;padding:12px 16px;border:0;border-radius:12px;font:inherit;font-size:18px;font-weight:700;text-decoration:none;cursor:pointer}
.primary{background:#0b5cad;color:#fff}
.primary[disabled]{background:#7d9cbd}
.secondary{background:#e8eef5;color:#0b3d70;margin-top:10px}
.danger{background:#c92a2a;color:#fff}
.case{font-size:34px;font-weight:800;letter-spacing:1px;margin:4px 0 8px;color:#0b3d70}
.link-box{width:100%;min-height:50px;padding:12px;font:15px/1.4 ui-monospace,monospace;word-break:break-all;background:#f3f5f8;border:1.5px dashed #8fa3b8;border-radius:10px;user-select:all}
.statuses{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0}
.status{display:inline-flex;gap:6px;align-items:center;font-size:15px}
.chip{display:inline-block;border-radius:999px;padding:2px 10px;font-size:15px;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:8px 0 0;font-size:16px}
dl.facts dt{color:#5b6573}dl.facts dd{margin:0;word-break:break-word}
.summary{margin:0 0 12px}
form.card>.lead{margin-bottom:14px}
.card dl+.banner{margin:14px 0 0}
.spaced{margin-top:10px}
${chipRules}`;
