/**
 * A report as one self-contained HTML document: the classification banner, the title page facts (period,
 * audience, run hash), the contents, the template's sections in its order, and the data it was made
 * from (records version, statistics vintages with their checksums). Every value goes through the one
 * escaping renderer; the stylesheet is inlined; nothing is loaded from anywhere. The same run gives the
 * same bytes.
 * @module
 */
import type { SectionOf, Subject } from '../../domain/reports/template-schema.js';
import { translator, type Locale, type Translate } from '../../i18n/index.js';
import type { ReportContent, ReportRun } from '../../reports/report-run.js';
import { html, trustedHtml, type Html } from '../html.js';
import {
  auditSection,
  claimsSection,
  dataReconciliationSection,
  rejectedSection,
  vintagesSection,
} from './data-sections.js';
import {
  estimatesSection,
  inferenceSection,
  panelSection,
  provenanceSection,
  specificationSection,
} from './evaluation-sections.js';
import { fundingSection } from './funding-section.js';
import { coverageSection, indicatorsSection, summarySection } from './indicator-sections.js';
import {
  anomaliesSection,
  briefPlace,
  crimesSection,
  programsSection,
  reconciliationSection,
  takeawaySection,
  trendsSection,
} from './place-sections.js';
import { lessonsSection, narrativesSection, practicesSection, risksSection } from './program-sections.js';
import { inLang, type SectionContext } from './report-context.js';
import { REPORT_CSS } from './report-style.js';

type ContentOf<S extends Subject> = Extract<ReportContent, { subject: S }>;

/** Each subject's section renderers, by section type. */
export const SECTIONS: { [S in Subject]: Record<SectionOf<S>, (ctx: SectionContext<ContentOf<S>>) => Html> } =
  {
    framework: {
      summary: summarySection,
      indicators: indicatorsSection,
      narratives: narrativesSection,
      lessons: lessonsSection,
      risks: risksSection,
      practices: practicesSection,
      funding: fundingSection,
      coverage: coverageSection,
    },
    place: {
      takeaway: takeawaySection,
      trends: trendsSection,
      crimes: crimesSection,
      anomalies: anomaliesSection,
      reconciliation: reconciliationSection,
      programs: programsSection,
    },
    evaluation: {
      specification: specificationSection,
      panel: panelSection,
      estimates: estimatesSection,
      inference: inferenceSection,
      provenance: provenanceSection,
    },
    data: {
      vintages: vintagesSection,
      rejected: rejectedSection,
      claims: claimsSection,
      reconciliation: dataReconciliationSection,
      audit: auditSection,
    },
  };

/** What the report is about, in a few words for its title and running header: `FY2017`, `Chihuahua`. */
export function subjectShort(run: ReportRun, t: Translate): string {
  const r = run.report;
  switch (r.subject) {
    case 'framework':
      return r.period.code;
    case 'place':
      return r.until ? `${briefPlace({ t, report: r })} · ${r.until}` : briefPlace({ t, report: r });
    case 'evaluation':
      return r.run.title;
    case 'data':
      return t('web.report.data.short', { entries: r.audit.entries });
  }
}

/** The document's title: the report's, and what it is about. */
export const documentTitle = (run: ReportRun, t: Translate) =>
  `${reportTitle(run, run.request.locale)} · ${subjectShort(run, t)}`;

/** What the report is about, in a line: its period, its place, its run, or the data's version. */
export function subjectLine(run: ReportRun, t: Translate): string {
  const r = run.report;
  switch (r.subject) {
    case 'framework':
      return t('web.report.period', { period: r.period.code });
    case 'place': {
      const line = t('web.report.place.subject', {
        place: briefPlace({ t, report: r }),
        code: r.statistics.code,
      });
      return r.until ? `${line} · ${t('web.report.place.until', { year: r.until })}` : line;
    }
    case 'evaluation':
      return t('web.report.evaluation.subject', { id: r.run.id, title: r.run.title });
    case 'data':
      return t('web.report.data.subject', { records: run.recordsVersion.slice(0, 16) });
  }
}

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
  // The template was checked against its subject's sections (template-schema.ts), and the content is
  // of the template's subject (report-run.ts): each renderer gets the content it was written for.
  const renderers = SECTIONS[run.report.subject] as Record<
    string,
    (ctx: SectionContext<ReportContent>) => Html
  >;
  const sections = template.sections.map((s, i) =>
    renderers[s.type]!({ t, locale, report: run.report, heading: headings[i]!, id: ids[i]! }),
  );
  const about = subjectLine(run, t);
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
<title>${documentTitle(run, t)}</title>
${STYLE_SLOT}
</head>
<body>
<div class="banner ${run.report.classification}" role="note">${bannerText(run, locale)}</div>
<header class="report">
  <h1>${title}</h1>
  <p>${about}</p>
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
