/**
 * A report as one self-contained HTML document: the classification banner, the title page facts (period,
 * audience, run hash), the contents, the template's sections in its order, and the data it was made
 * from (records version, statistics vintages with their checksums). Every value goes through the one
 * escaping renderer; the stylesheet is inlined; nothing is loaded from anywhere. The same run gives the
 * same bytes.
 * @module
 */
import type { SectionType } from '../../domain/reports/template-schema.js';
import { translator, type Locale } from '../../i18n/index.js';
import type { ReportRun } from '../../reports/report-run.js';
import { html, trustedHtml, type Html } from '../html.js';
import { fundingSection } from './funding-section.js';
import { coverageSection, indicatorsSection, summarySection } from './indicator-sections.js';
import { lessonsSection, narrativesSection, practicesSection, risksSection } from './program-sections.js';
import { inLang, type SectionContext } from './report-context.js';
import { REPORT_CSS } from './report-style.js';

/** Each section type's renderer. */
export const SECTIONS: Record<SectionType, (ctx: SectionContext) => Html> = {
  summary: summarySection,
  indicators: indicatorsSection,
  narratives: narrativesSection,
  lessons: lessonsSection,
  risks: risksSection,
  practices: practicesSection,
  funding: fundingSection,
  coverage: coverageSection,
};

/** The classification banner's text, in capitals: what a PDF repeats at the head of every page. */
export function bannerText(run: ReportRun, locale: Locale): string {
  return translator(locale)(`web.classification.${run.report.classification}`).toLocaleUpperCase(locale);
}

/** The report's title in `locale`. */
export function reportTitle(run: ReportRun, locale: Locale): string {
  return inLang(locale, run.template.template.title);
}

export function renderReportHtml(run: ReportRun): string {
  const locale = run.request.locale;
  const t = translator(locale);
  const { template } = run.template;
  const headings = template.sections.map((s) =>
    s.title ? inLang(locale, s.title) : t(`web.report.section.${s.type}`),
  );
  // A template may name a section type twice (two headings of its own): each gets its own anchor.
  const ids = template.sections.map((s, i) => {
    const n = template.sections.slice(0, i + 1).filter((o) => o.type === s.type).length;
    return n === 1 ? s.type : `${s.type}-${n}`;
  });
  const sections = template.sections.map((s, i) =>
    SECTIONS[s.type]({ t, locale, report: run.report, heading: headings[i]!, id: ids[i]! }),
  );
  const title = reportTitle(run, locale);
  const audience =
    run.audience === 'public' || run.audience === 'operator'
      ? t(`web.report.audience.${run.audience}`)
      : t('web.report.audience.official', { official: run.audience });
  const doc = html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="Marco" />
<meta name="marco-run-hash" content="${run.runHash}" />
<meta name="marco-classification" content="${run.report.classification}" />
<title>${title} · ${run.request.period}</title>
${STYLE_SLOT}
</head>
<body>
<div class="banner ${run.report.classification}" role="note">${bannerText(run, locale)}</div>
<header class="report">
  <h1>${title}</h1>
  <p>${t('web.report.period', { period: run.request.period })}</p>
  ${template.description ? html`<p>${inLang(locale, template.description)}</p>` : ''}
  <p class="small">${audience} · ${t(`web.classification.${run.report.classification}`)}</p>
  <p class="small">${t('web.report.runHash')}: <code>${run.runHash}</code></p>
</header>
<nav class="contents" aria-label="${t('web.report.contents')}">
  <h2>${t('web.report.contents')}</h2>
  <ol>${template.sections.map((_s, i) => html`<li><a href="#${ids[i]!}">${headings[i]!}</a></li>`)}</ol>
</nav>
<main>${sections}</main>
<footer class="report">
  <p>${t('web.report.madeFrom', { records: run.recordsVersion.slice(0, 16) })}</p>
  ${
    run.vintages.length === 0
      ? html`<p>${t('web.report.noVintages')}</p>`
      : html`<ul>${run.vintages.map((v) => html`<li>${v.source}: ${v.file} · sha256 <code>${v.sha256}</code></li>`)}</ul>`
  }
  <p>${t('web.report.source', { template: run.template.source })}</p>
</footer>
</body>
</html>
`;
  // The renderer lets nothing into <style>: the fixed stylesheet takes the place of its one slot.
  const [head, body] = doc.text.split(STYLE_SLOT.text);
  return `${head}<style>${REPORT_CSS}</style>${body}`;
}

/** Where the stylesheet goes: a comment no record text can produce (the renderer escapes `<`). */
const STYLE_SLOT = trustedHtml('<!--marco-report-style-->', 'a fixed comment, replaced by the stylesheet');
if (REPORT_CSS.includes('<')) throw new Error('the report stylesheet must not contain "<"');
