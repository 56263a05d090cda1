/**
 * The minimal bilingual home page: frameworks, scorecard roll-ups by node and program, and outcome
 * coverage, rendered on the server with no script at all.
 * @module
 */
import { formatPercent, translator, type Locale } from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { listFrameworks } from '../records/framework-repository.js';
import { buildScorecard } from '../records/scorecard-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import type { StatusCounts } from '../domain/scorecard.js';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

// Okabe–Ito colours: distinguishable with the common forms of colour blindness; each status also has text.
const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1a1a1a}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
h1{margin:.2rem 0}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
.s{display:inline-block;min-width:2.2rem;padding:0 .35rem;border-radius:.25rem;text-align:center;font-variant-numeric:tabular-nums}
.green{background:#009E73;color:#fff}.amber{background:#E69F00;color:#000}.red{background:#D55E00;color:#fff}.no_data{background:#e5e5e5;color:#000}
.warn{color:#8a3b00;font-weight:600}.chips{white-space:nowrap}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}.muted{color:#555}a{color:#0055aa}
`;

function counts(t: ReturnType<typeof translator>, c: StatusCounts): string {
  const cell = (status: keyof StatusCounts) =>
    `<span class="s ${status}" title="${escape(t(`status.${status}`))}">${c[status]}</span>`;
  return `${cell('green')} ${cell('amber')} ${cell('red')} ${cell('no_data')} <span class="sr">${escape(t('status.counts', { ...c }))}</span>`;
}

/** Renders the home page in `locale`. */
export async function renderHome(store: RecordsStore, locale: Locale, stats?: StatsStore): Promise<string> {
  const t = translator(locale);
  const other: Locale = locale === 'en' ? 'es' : 'en';
  const [frameworks, card] = await Promise.all([
    listFrameworks(store),
    buildScorecard(store, { viewer: null, stats }),
  ]);
  const rows = card.programs
    .map(
      (p) =>
        `<tr><td><code>${escape(p.code)}</code></td><td>${escape(p.title[locale])}${
          p.hasOutcomeIndicator ? '' : `<br><span class="warn">⚠ ${escape(t('home.noOutcome'))}</span>`
        }</td><td class="chips">${counts(t, p.counts)}</td><td>${p.compliance.score === null ? '—' : formatPercent(locale, p.compliance.score)}</td></tr>`,
    )
    .join('');
  const nodes = card.nodes
    .map(
      (n) =>
        `<tr><td><code>${escape(n.ref)}</code></td><td style="padding-left:${(n.ref.split(':')[1]!.split('.').length - 1) * 1.2 + 0.5}rem">${escape(
          n.title[locale],
        )}</td><td class="chips">${counts(t, n)}</td></tr>`,
    )
    .join('');
  const fw = frameworks
    .map(
      (f) =>
        `<li><strong>${escape(f.title[locale])}</strong> — ${escape(t('home.edition', { edition: f.edition }))}, ${escape(
          t('home.nodes', { count: f.nodes }),
        )}${f.note[locale] ? `<br><span class="muted">${escape(t('home.officialNote'))}: ${escape(f.note[locale]!)}</span>` : ''}</li>`,
    )
    .join('');
  const coverage =
    card.coverage.share === null
      ? t('home.coverageNone')
      : t('home.coverage', {
          withOutcome: card.coverage.withOutcome,
          programs: card.coverage.programs,
          share: formatPercent(locale, card.coverage.share),
        });
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(t('home.title'))}</title><style>${STYLE}</style></head>
<body>
<header><div><h1>${escape(t('app.name'))}</h1><p>${escape(t('app.tagline'))}</p></div>
<nav aria-label="${escape(t('home.language'))}"><a href="?lang=${other}" hreflang="${other}" lang="${other}">${escape(t('home.switchTo'))}</a></nav></header>
<main>
<p>${escape(t('app.about'))}</p>
<h2>${escape(t('home.frameworks'))}</h2><ul>${fw}</ul>
<h2>${escape(t('home.rollup'))}</h2>
<p>${(['green', 'amber', 'red', 'no_data'] as const)
    .map((status) => `<span class="s ${status}">${escape(t(`status.${status}`))}</span>`)
    .join(' ')}</p>
<table><thead><tr><th scope="col">${escape(t('home.node'))}</th><th scope="col"></th><th scope="col">${escape(t('home.indicators'))}</th></tr></thead><tbody>${nodes}</tbody></table>
<h2>${escape(t('home.scorecards'))}</h2>
<p>${escape(coverage)}</p>
${
  card.programs.length === 0
    ? `<p>${escape(t('home.empty'))}</p>`
    : `<table><thead><tr><th scope="col">${escape(t('home.program'))}</th><th scope="col"></th><th scope="col">${escape(
        t('home.indicators'),
      )}</th><th scope="col">${escape(t('home.compliance'))}</th></tr></thead><tbody>${rows}</tbody></table>`
}
<h2>${escape(t('home.api'))}</h2>
<p>${escape(t('home.apiText'))} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>
</main>
</body></html>`;
}
