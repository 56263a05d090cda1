/**
 * The pages' one stylesheet, served by Marco at {@link STYLESHEET_PATH}: the Content-Security-Policy
 * allows styles from Marco only (no `<style>` element, no `style` attribute). It holds the page styles,
 * the classes that colour maps and indent tables, and the rules Plot would have put in its own `<style>`
 * elements. Its path carries a hash of its content, so it may be cached for good.
 * @module
 */
import { createHash } from 'node:crypto';
import { chartStylesheet, NO_DATA, SEQUENTIAL } from './charts.js';

// Okabe–Ito colours for statuses (distinguishable with the common colour-vision deficiencies); each
// status also carries its word, so colour is never the only signal.
const BASE = `
:root{--ink:#1a1a1a;--muted:#555;--line:#ddd;--link:#0055aa}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:var(--ink);background:#fff}
.wrap{max-width:76rem;margin:0 auto;padding:0 1.25rem}
header.top{border-bottom:1px solid var(--line);background:#f7f7f5}
header.top .wrap{display:flex;gap:1.25rem;align-items:center;flex-wrap:wrap;padding:.6rem 1.25rem}
header.top .brand{font-weight:700;font-size:1.15rem;color:var(--ink);text-decoration:none}
nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0;flex-wrap:wrap}
nav a{color:var(--link)}nav a[aria-current=page]{font-weight:700;color:var(--ink)}
.lang{margin-left:auto}
.s.provisional{background:#fff3cd;color:#5c4400;border:1px dashed #8a6d00}
.session{position:relative}
details.session summary{cursor:pointer;color:var(--link)}
details.session .menu{position:absolute;right:0;z-index:2;min-width:16rem;background:#fff;border:1px solid var(--line);padding:.5rem 1rem;box-shadow:0 2px 6px rgba(0,0,0,.15)}
form.login input{font:inherit;padding:.35rem .5rem;width:min(22rem,100%);border:1px solid #888;border-radius:3px}
form.login button,details.session button{font:inherit;padding:.35rem 1rem}
main{padding:1rem 0 2rem}
h1{margin:.6rem 0 .4rem;font-size:1.7rem}h2{margin:1.6rem 0 .4rem;font-size:1.25rem}h3{margin:1.2rem 0 .3rem;font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.2rem;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right}
caption{text-align:left;font-weight:600;padding:.3rem 0}
a{color:var(--link)}
.muted{color:var(--muted)}.small{font-size:.88rem}
.s{display:inline-block;min-width:2.2rem;padding:0 .35rem;border-radius:.25rem;text-align:center;font-variant-numeric:tabular-nums}
.green{background:#009E73;color:#000}.amber{background:#E69F00;color:#000}.red{background:#D55E00;color:#000}.no_data{background:#e5e5e5;color:#000}
.warn{color:#8a3b00;font-weight:600}
tr.conflict>td:first-child{box-shadow:inset 4px 0 0 #E69F00}
.card{border:1px solid var(--line);border-radius:.4rem;padding:.8rem 1rem;margin:.8rem 0;background:#fff}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
form.explore{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem 1rem;align-items:end;margin:.5rem 0 1rem}
form label{display:flex;flex-direction:column;font-size:.9rem;gap:.15rem}
form[role=search]{display:flex;gap:.5rem;align-items:end;margin:.6rem 0}form[role=search] label{flex:1;max-width:32rem}
form.filters fieldset{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end;border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0 1rem}form.filters label{min-width:11rem}
form.result-edit p{margin:.6rem 0}form.result-edit input,form.result-edit textarea,form.decision textarea{font:inherit;width:min(32rem,100%);padding:.3rem .4rem;border:1px solid #888;border-radius:.25rem}
form.result-edit label{display:block;font-weight:600}form.result-edit select{width:min(32rem,100%)}form.result-edit .small{display:block}
nav.sub ul{display:flex;gap:1rem;list-style:none;padding:0;margin:0 0 1rem}nav.sub a[aria-current]{font-weight:700}
form.result-edit label.inline{display:inline-flex;gap:.3rem;align-items:center;margin-right:1rem;font-weight:400}form.result-edit fieldset{border:0;padding:0;margin:.6rem 0}form.result-edit legend{font-weight:600}code.secret{font-size:1rem;word-break:break-all}
tr.changed{background:#fff6ee}
a.button{display:inline-block;background:#0055aa;color:#fff;padding:.35rem .7rem;border-radius:.25rem;text-decoration:none}
form.decision{margin:0 0 .5rem}form.decision textarea{width:100%}
input,select,button{font:inherit;padding:.3rem .4rem;border:1px solid #888;border-radius:.25rem;background:#fff;color:var(--ink)}
button{background:#0055aa;color:#fff;border-color:#0055aa;cursor:pointer}
figure{margin:.5rem 0 1rem}figcaption{font-size:.88rem;color:var(--muted)}
svg{max-width:100%;height:auto}
ul.inline{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
form.explore fieldset.inline{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:.4rem 1rem;border:1px solid var(--line);border-radius:.4rem;margin:0}form.explore label.check{display:inline-flex;gap:.3rem;align-items:center;font-weight:400}
ol.timeline,ul.incidents{padding-left:0;list-style:none}ol.timeline li,ul.incidents li{margin:.7rem 0;padding-left:2.2rem;position:relative}ul.incidents li{padding-left:0}
svg.tiles{max-width:640px;display:block}
.mark{position:absolute;left:0;top:0;min-width:1.7rem;text-align:center;border-radius:.3rem;font-weight:700;color:#fff;font-size:.85rem}.mark.incident{background:#B34700}.mark.intervention{background:#0072B2}
.legend{display:flex;gap:.3rem;flex-wrap:wrap;font-size:.85rem;align-items:center}
.legend span.box{display:inline-block;width:1.1rem;height:.8rem;border:1px solid #999;vertical-align:middle}
footer{border-top:1px solid var(--line);padding:1rem 0;color:var(--muted);font-size:.88rem}
code{background:#f1f1ee;padding:0 .2rem;border-radius:.2rem}
pre{background:#f1f1ee;padding:.6rem;overflow:auto}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
ul.warnings{border-left:4px solid #8a3b00;background:#fff6ee;padding:.5rem .5rem .5rem 1.6rem}
nav .count{display:inline-block;min-width:1.2rem;padding:0 .3rem;border-radius:.6rem;background:#b3261e;color:#fff;font-size:.8rem;text-align:center}
ol.notices{list-style:none;padding:0}ol.notices li{border-bottom:1px solid var(--line);padding:.5rem 0}ol.notices li.unread{border-left:4px solid #0055aa;padding-left:.6rem}ol.notices p{margin:.2rem 0}
.badge{display:inline-block;white-space:nowrap;padding:0 .4rem;border-radius:.3rem;background:#e8eef8;color:var(--ink);font-size:.8rem}
ul.follows{padding-left:1.2rem}ul.follows li{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
p.takeaway{font-size:1.15rem;line-height:1.45;border-left:4px solid #0055aa;padding:.15rem 0 .15rem .8rem;margin:.6rem 0 1.1rem;max-width:62rem}
.card p.takeaway{font-size:1rem}
.code{font-family:ui-monospace,monospace;white-space:nowrap}
td.chips,.s{white-space:nowrap}
.effect{font-weight:600}
.skip{position:absolute;left:-100vw;top:.4rem}.skip:focus{left:1rem;z-index:10;background:#fff;padding:.4rem .8rem}
:focus-visible{outline:3px solid #E69F00;outline-offset:2px}
.grid-wrap{overflow:auto;max-height:75vh;border:1px solid var(--line);margin:.5rem 0 .6rem}
.grid-table{margin:0}.grid-table caption{padding:.3rem .5rem}
.grid-table th,.grid-table td{white-space:nowrap}
.grid-table thead th{position:sticky;top:0;z-index:2;background:#f7f7f5;box-shadow:inset 0 -1px var(--line)}
.grid-table thead th:first-child{left:0;z-index:3}
.grid-table tbody th{position:sticky;left:0;z-index:1;background:#fff;font-weight:400}
.grid-table thead th a{color:var(--ink);text-decoration:none}.grid-table thead th[aria-sort] a{text-decoration:underline}
.grid-table td.partial{font-style:italic}
.grid-table tbody tr:hover td,.grid-table tbody tr:hover th{background:#f2f6fb}
figure [class*="-swatches"]{font-size:.95rem}
@media print{
  header.top nav,header.top .lang,details.session,.skip,form,footer .wrap a,a.button{display:none}
  header.top{background:none;border-bottom:2px solid #000}
  body{font-size:11pt}.wrap{max-width:none;padding:0}
  a{color:inherit;text-decoration:none}
  h2,h3{break-after:avoid}
  tr,figure,.card,p.takeaway{break-inside:avoid}
  thead{display:table-header-group}
  .grid-wrap{overflow:visible;max-height:none;border:0}
  .grid-table thead th,.grid-table tbody th{position:static}
  pre{white-space:pre-wrap}
  .s,.green,.amber,.red,.no_data,.seq0,.seq1,.seq2,.seq3,.seq4,.nodata{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
`;

// Charts: what Plot's `style` attributes said, and the classes of map fills and legend boxes.
const CHARTS = `
svg.chart{width:100%;height:auto;font-size:13px;background:#fff;color:#1a1a1a}
${SEQUENTIAL.map((colour, i) => `.seq${i}{fill:${colour};background:${colour}}`).join('\n')}
.nodata{fill:${NO_DATA};background:${NO_DATA}}
svg path.nodata,${SEQUENTIAL.map((_, i) => `svg path.seq${i}`).join(',')}{stroke:#fff;stroke-width:.5}
svg.network{width:100%;height:auto;background:#fff}
.tie{fill:none}.tie.alliance{stroke:#2166ac;stroke-opacity:.75}.tie.rivalry{stroke:#b2182b;stroke-opacity:.75;stroke-dasharray:5 3}
circle.group{fill:#333;stroke:#fff;stroke-width:1}a:focus circle.group,a:hover circle.group{fill:#d9480f}
text.group-name{font-size:10px;text-anchor:middle;fill:#1a1a1a;paint-order:stroke;stroke:#fff;stroke-width:3px}
${[0, 1, 2, 3, 4, 5, 6].map((d) => `td.depth${d}{padding-left:${(d * 1.2 + 0.5).toFixed(1)}rem}`).join('\n')}
`;

let cached: { css: string; hash: string } | undefined;

function build(): { css: string; hash: string } {
  cached ??= (() => {
    const css = `${BASE}${CHARTS}${chartStylesheet()}\n`;
    return { css, hash: createHash('sha256').update(css).digest('hex').slice(0, 16) };
  })();
  return cached;
}

/** The stylesheet's text. */
export const stylesheet = (): string => build().css;

/** The path pages link to; its query changes whenever the stylesheet does. */
export const STYLESHEET_ROUTE = '/assets/marco.css';
export const STYLESHEET_PATH = `${STYLESHEET_ROUTE}?v=${build().hash}`;
