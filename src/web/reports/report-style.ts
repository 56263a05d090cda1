/**
 * The stylesheet of a report, inlined so the HTML is self-contained and offline, and written for print:
 * A4 and Letter alike (Chromium's margins hold the running header and page numbers), table headers
 * repeated on each page, no row split across pages, a heading never left alone at a page's foot.
 * Fonts are DejaVu (Debian's fonts-dejavu-core), which Chromium embeds in the PDF. Charts are vector SVG,
 * styled by Plot's own rules (`chartStylesheet`).
 * @module
 */
import { chartStylesheet } from '../charts.js';

export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #1a1a1a; margin: 0 auto; max-width: 60rem; padding: 1rem; }
.banner { text-align: center; font-weight: bold; letter-spacing: 0.08em; padding: 0.2rem; border: 2px solid currentColor; margin-bottom: 1rem; }
.banner.public { color: #1d5f2f; }
.banner.official_use { color: #8a5300; }
.banner.restricted { color: #9b1c1c; }
header.report h1 { font-size: 18pt; margin: 0.5rem 0; }
header.report p { margin: 0.2rem 0; }
.small { font-size: 8.5pt; color: #444; }
nav.contents ol { columns: 2; padding-left: 1.2rem; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; padding-bottom: 0.15rem; margin-top: 1.4rem; break-after: avoid; }
h3 { font-size: 11pt; margin: 1rem 0 0.4rem; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
.k { white-space: nowrap; }
th { background: #eef1f4; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: bold; }
.status.green { color: #1d5f2f; }
.status.amber { color: #8a5300; }
.status.red { color: #9b1c1c; }
.status.no_data { color: #555; }
.none { font-style: italic; color: #444; }
article.program { break-inside: avoid; }
figure { margin: 0.6rem 0; break-inside: avoid; }
svg.chart { width: 100%; height: auto; font-size: 11px; background: #fff; color: #1a1a1a; }
figcaption { margin-top: 0.2rem; }
.takeaway { font-size: 11pt; font-weight: bold; }
pre.spec { font-size: 7.5pt; white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f7f8; padding: 0.4rem; border: 1px solid #ddd; }
ul.warnings li { margin-bottom: 0.2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.verdict.consistent { color: #1d5f2f; }
.verdict.discrepant { color: #9b1c1c; font-weight: bold; }
.verdict.not_checkable { color: #555; }
.muted { color: #555; }
footer.report { margin-top: 2rem; border-top: 1px solid #999; font-size: 8.5pt; color: #444; }
footer.report code { overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
${chartStylesheet()}
`;
