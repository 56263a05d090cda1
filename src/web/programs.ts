/**
 * Results-framework pages: a framework node (children, programs, indicators with status, crosswalk), a
 * program (indicator performance tracking table, GAO monitoring-practice checklist, risks, lessons) and
 * an indicator (its full reference sheet, a chart of actuals against baseline and targets, and for a
 * statistics-linked indicator its query). Public records only: the web pages have no login.
 * @module
 */
import { NotFoundError } from '../error.js';
import { formatNumber, formatPercent, translator, type Locale, type Translate } from '../i18n/index.js';
import type { RecordsStore } from '../records/database.js';
import { listCrosswalk, listFrameworks, listNodes } from '../records/framework-repository.js';
import { getIndicator, getProgram } from '../records/program-repository.js';
import { describeGap } from '../indicators/linked-actuals.js';
import { buildScorecard, type IndicatorCard } from '../indicators/scorecard.js';
import { GAO_PRACTICES } from '../domain/practices.js';
import type { StatsStore } from '../stats/stats-store.js';
import { lineChart } from './charts.js';
import { viewQuery } from './explorer.js';
import { html, type Html } from './html.js';
import type { Reader } from './reader.js';
import { page } from './layout.js';
import { notFoundPage } from './places.js';
import { benchmarkProgress } from '../benchmarks/benchmark-progress.js';
import { listBenchmarks } from '../records/benchmark-repository.js';
import { approvedNotice, benchmarkCards } from './benchmarks/benchmark-cards.js';
import { programTakeaway } from './takeaways/program-takeaway.js';

/** A code shown after the name it belongs to: names first, codes second. */
const codeAfter = (code: string) => html` <span class="code small muted">${code}</span>`;

type Rendered = { status: 200 | 404; body: string };

const chip = (t: Translate, status: string) =>
  html`<span class="s ${status}">${t(`status.${status}`)}</span>`;

function num(locale: Locale, v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? '—' : formatNumber(locale, v, { maximumFractionDigits: digits });
}

/** The indicator performance tracking table: one row per target period, then life of program. */
function trackingTable(t: Translate, locale: Locale, indicators: IndicatorCard[]): Html {
  const rows = indicators.flatMap((i) => {
    const arrow = i.direction === 'increase' ? '↑' : '↓';
    const head = html`<th scope="rowgroup" rowspan="${i.periods.length + 1}"><a href="/indicators/${i.code}">${i.name[locale]}</a>${codeAfter(i.code)}<br><span class="small muted">${t(`level.${i.level}`)} · ${arrow} ${t(`web.program.${i.direction}`)} · ${i.unit[locale]}</span></th>`;
    const periodRows = i.periods.map(
      (p, n) =>
        html`<tr>${n === 0 ? head : ''}<td>${p.period}${p.place ? html` <span class="small muted">${p.place}</span>` : ''}</td><td class="n">${num(locale, p.baseline)}</td><td class="n">${num(locale, p.target)}</td><td class="n">${num(locale, p.actual)}</td><td class="n">${
          p.percentMet === null ? '—' : formatPercent(locale, p.percentMet)
        }</td><td>${chip(t, p.status)}${p.reason ? html`<br><span class="small muted">${t(`web.reason.${p.reason}`)}</span>` : ''}${
          p.provisional ? html`<br><span class="s provisional">${t('web.program.provisional')}</span>` : ''
        }</td></tr>`,
    );
    const lop = html`<tr>${i.periods.length === 0 ? head : ''}<td>${t('web.program.lop')}</td><td class="n">${num(locale, i.baseline?.value)}</td><td class="n">${num(locale, i.lop.target)}</td><td class="n">${num(locale, i.lop.actual)}</td><td class="n">${
      i.lop.percentMet === null ? '—' : formatPercent(locale, i.lop.percentMet)
    }</td><td>${chip(t, i.lop.status)}</td></tr>`;
    return [...periodRows, lop];
  });
  return html`<table><caption>${t('web.program.tracking')}</caption><thead><tr><th scope="col">${t('web.program.indicator')}</th><th scope="col">${t('web.program.period')}</th><th scope="col" class="n">${t('web.program.baseline')}</th><th scope="col" class="n">${t('web.program.target')}</th><th scope="col" class="n">${t('web.program.actual')}</th><th scope="col" class="n">${t('web.program.met')}</th><th scope="col">${t('web.program.status')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export async function renderProgram(
  store: RecordsStore,
  stats: StatsStore | undefined,
  reader: Reader,
  code: string,
): Promise<Rendered> {
  const { locale } = reader;
  const t = translator(locale);
  let program;
  try {
    program = await getProgram(store, reader.viewer, code);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundPage(reader, t('web.program.unknown', { code }));
    throw error;
  }
  const card = (await buildScorecard(store, { program: code, viewer: reader.viewer, stats })).programs[0];
  const nodes = await listNodes(store);
  const takeaway = card ? programTakeaway(locale, card.indicators) : undefined;
  const practices = new Map(program.practices.map((p) => [p.practice, p]));
  const checklist = html`<table><caption>${t('web.program.practices', {
    score: program.compliance.score === null ? '—' : formatPercent(locale, program.compliance.score),
  })}</caption><thead><tr><th scope="col">${t('web.program.practice')}</th><th scope="col">${t('web.program.assessment')}</th><th scope="col">${t('web.program.evidence')}</th></tr></thead><tbody>${GAO_PRACTICES.map(
    (key) => {
      const p = practices.get(key);
      return html`<tr><td>${t(`web.practice.${key}`)}</td><td>${t(`web.practiceState.${p?.state ?? 'not_assessed'}`)}${p?.date ? html`<br><span class="small muted">${p.date}</span>` : ''}</td><td class="small">${p?.evidence ?? ''}${p?.note ? html`<br>${p.note}` : ''}</td></tr>`;
    },
  )}</tbody></table>`;
  const risks = program.risks.length
    ? html`<table><caption>${t('web.program.risks')}</caption><thead><tr><th scope="col">${t('web.program.risk')}</th><th scope="col">${t('web.program.likelihood')}</th><th scope="col">${t('web.program.impact')}</th><th scope="col">${t('web.program.mitigation')}</th><th scope="col">${t('web.program.status')}</th></tr></thead><tbody>${program.risks.map(
        (r) =>
          html`<tr><td>${r.description[locale]}</td><td>${r.likelihood}</td><td>${r.impact}</td><td>${r.mitigation ?? ''}</td><td>${r.status}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">${t('web.program.noRisks')}</p>`;
  const lessons = program.lessons.length
    ? html`<ul>${program.lessons.map((l) => html`<li><strong>${l.date}</strong> (${l.category}): ${l.lesson[locale]}${l.action ? html` — ${l.action}` : ''}</li>`)}</ul>`
    : html`<p class="muted">${t('web.program.noLessons')}</p>`;
  const feed = `/programs/${encodeURIComponent(program.code)}/results.atom?lang=${locale}`;
  const body = html`<p class="small"><a href="/">${t('web.nav.home')}</a> › ${program.title[locale]}</p>
<h1>${program.title[locale]}</h1>
${takeaway ? html`<p class="takeaway">${takeaway}</p>` : ''}
<p>${program.description[locale] ?? ''}</p>
<p class="small muted">${program.code} · ${t(`web.program.state.${program.status}`)} · ${program.start ?? '…'} – ${program.end ?? '…'} · ${program.country}, ${program.agency}${program.implementing ? ` · ${program.implementing}` : ''}</p>
${program.serves.length ? html`<p>${t('web.program.serves')}: ${program.serves.map((ref, i) => html`${i ? '; ' : ''}<a href="/nodes/${ref}">${nodes.find((n) => n.ref === ref)?.title[locale] ?? ref}</a>${codeAfter(ref)}`)}</p>` : ''}
${card && !card.hasOutcomeIndicator ? html`<p class="card warn" role="note">⚠ ${t('web.program.noOutcome')}</p>` : ''}
<h2>${t('web.program.performance')}</h2>${card && card.indicators.length ? trackingTable(t, locale, card.indicators) : html`<p class="muted">${t('web.program.noIndicators')}</p>`}
<h2>${t('web.program.monitoring')}</h2>${checklist}
<h2>${t('web.program.risks')}</h2>${risks}
<h2>${t('web.program.lessons')}</h2>${lessons}
<p class="small"><a href="/programs/${program.code}/funding">${t('web.program.fundingLink')}</a> · <a href="${feed}">${t('web.feeds.programLink')}</a></p>`;
  return {
    status: 200,
    body: page({
      reader,
      title: program.title[locale],
      body,
      feeds: [{ title: t('web.feeds.programTitle', { program: program.title[locale] }), href: feed }],
    }),
  };
}

const PIRS_FIELDS = [
  'definition',
  'level',
  'unit',
  'numerator',
  'denominator',
  'factor',
  'direction',
  'disaggregations',
  'source',
  'method',
  'frequency',
  'responsible',
  'baseline',
  'lop_target',
  'aggregation',
  'quality_notes',
  'owner',
] as const;

export async function renderIndicator(
  store: RecordsStore,
  stats: StatsStore | undefined,
  reader: Reader,
  code: string,
): Promise<Rendered> {
  const { locale } = reader;
  const t = translator(locale);
  let ind;
  try {
    ind = await getIndicator(store, reader.viewer, code);
  } catch (error) {
    if (error instanceof NotFoundError) return notFoundPage(reader, t('web.indicator.unknown', { code }));
    throw error;
  }
  const card = (
    await buildScorecard(store, { program: ind.program, viewer: reader.viewer, stats })
  ).programs[0]?.indicators.find((i) => i.code === code);
  const text = (v: { en: string | null; es: string | null } | null | undefined) =>
    v ? (v[locale] ?? '') : '';
  const value = (field: (typeof PIRS_FIELDS)[number]): Html | string => {
    switch (field) {
      case 'definition':
      case 'unit':
      case 'numerator':
      case 'denominator':
        return text(ind[field]);
      case 'level':
        return t(`level.${ind.level}`);
      case 'direction':
        return html`${ind.direction === 'increase' ? '↑' : '↓'} ${t(`web.program.${ind.direction}`)}`;
      case 'disaggregations':
        return (ind.disaggregations as string[] | null)?.join(', ') || '—';
      case 'baseline': {
        const b =
          card?.baseline ??
          (ind.baseline ? { value: ind.baseline.value, period: ind.baseline.period } : null);
        return b ? `${num(locale, b.value)}${b.period ? ` (${b.period})` : ''}` : '—';
      }
      case 'owner':
        return `${ind.country}, ${ind.agency} · ${t(`web.classification.${ind.classification}`)}`;
      case 'factor':
      case 'lop_target':
        return num(locale, ind[field] as number | null);
      default:
        return String((ind as Record<string, unknown>)[field] ?? '—');
    }
  };
  const sheet = html`<table><caption>${t('web.indicator.sheet')}</caption><tbody>${PIRS_FIELDS.map(
    (f) => html`<tr><th scope="row">${t(`web.pirs.${f}`)}</th><td>${value(f)}</td></tr>`,
  )}</tbody></table>`;

  // Actuals against the baseline and each target, by period.
  const periods = card?.periods ?? [];
  const chart = periods.length
    ? html`<figure>${lineChart(
        [
          {
            name: t('web.program.target'),
            points: periods.map((p) => ({ start: periodStart(p.period), value: p.target })),
          },
          {
            name: t('web.program.actual'),
            points: periods.map((p) => ({ start: periodStart(p.period), value: p.actual })),
          },
          ...(card?.baseline
            ? [
                {
                  name: t('web.program.baseline'),
                  points: periods.map((p) => ({ start: periodStart(p.period), value: card.baseline!.value })),
                },
              ]
            : []),
        ],
        {
          label: t('web.indicator.chart', { code }),
          yLabel: text(ind.unit),
          locale,
          height: 260,
          // Yearly and fiscal-year periods on a year axis; finer ones on Plot's own.
          by: periods.every((p) => /^FY\d{4}$/.test(p.period))
            ? 'fiscal_year'
            : periods.every((p) => /^\d{4}$/.test(p.period))
              ? 'year'
              : 'month',
        },
      )}<figcaption>${t('web.indicator.chartCaption')}</figcaption></figure>`
    : html`<p class="muted">${t('web.indicator.noTargets')}</p>`;
  const linked = card?.series
    ? html`<h2>${t('web.indicator.linked')}</h2><p>${t('web.indicator.linkedText')}</p><pre><code>${JSON.stringify(card.series, null, 2)}</code></pre>${
        card.seriesGaps?.length
          ? html`<ul class="warn">${card.seriesGaps.map((gap) => html`<li>${describeGap(t, gap)}</li>`)}</ul>`
          : ''
      }<p><a href="/explore?${viewQuery({
        measure: card.series.measure,
        geo: card.series.geo,
        by: 'year',
        per: card.series.per ? String(card.series.per) : '',
        filter: Object.entries(card.series.filters ?? {})
          .map(([k, v]) => `${k}:${v}`)
          .join(','),
        source: card.series.source ?? '',
      })}">${t('web.profile.openExplorer')}</a></p>`
    : '';
  const body = html`<p class="small"><a href="/">${t('web.nav.home')}</a> › <a href="/programs/${ind.program}">${ind.program}</a> › ${ind.name[locale]}</p>
<h1>${ind.name[locale]}</h1>
<p>${card ? chip(t, card.status) : ''} ${t('web.indicator.direction', { direction: t(`web.program.${ind.direction}`) })}</p>
${chart}${periods.length ? trackingTable(t, locale, card ? [card] : []) : ''}${linked}${sheet}${
    ind.history.length > 1
      ? html`<p><a href="/indicators/${ind.code}/versions">${t('web.versions.link', { count: ind.history.length })}</a></p>`
      : ''
  }${
    // The sheet's own country's reporters may edit it (the post checks their right on the record).
    reader.session?.roles.includes('reporter') && reader.session.country === ind.country
      ? html`<p><a class="button" href="/indicators/${ind.code}/edit">${t('web.sheetEdit.link')}</a></p>`
      : ''
  }`;
  return { status: 200, body: page({ reader, title: ind.name[locale], body }) };
}

/** The first day of a period code, for charts. */
function periodStart(code: string): string {
  const fy = /^FY(\d{4})$/.exec(code);
  if (fy) return `${Number(fy[1]) - 1}-10-01`;
  const q = /^(\d{4})-Q([1-4])$/.exec(code);
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  const h = /^(\d{4})-H([12])$/.exec(code);
  if (h) return `${h[1]}-${h[2] === '1' ? '01' : '07'}-01`;
  const m = /^(\d{4})-(\d{2})$/.exec(code);
  if (m) return `${m[1]}-${m[2]}-01`;
  return `${code.slice(0, 4)}-01-01`;
}

export async function renderNode(
  store: RecordsStore,
  stats: StatsStore | undefined,
  reader: Reader,
  ref: string,
): Promise<Rendered> {
  const { locale } = reader;
  const t = translator(locale);
  const nodes = await listNodes(store);
  const node = nodes.find((n) => n.ref === ref);
  if (!node) return notFoundPage(reader, t('web.node.unknown', { ref }));
  const children = nodes.filter((n) => n.parent === ref);
  const parent = nodes.find((n) => n.ref === node.parent);
  const card = await buildScorecard(store, { node: ref, viewer: reader.viewer, stats });
  const links = (await listCrosswalk(store)).filter((l) => l.from === ref || l.to === ref);
  const title = (r: string) => nodes.find((n) => n.ref === r)?.title[locale] ?? r;
  const benchmarks = await Promise.all(
    (await listBenchmarks(store, [ref])).map((b) => benchmarkProgress(stats, b)),
  );
  const programs = card.programs.length
    ? html`<table><caption>${t('web.node.programs')}</caption><thead><tr><th scope="col">${t('home.program')}</th><th scope="col">${t('web.program.indicator')}</th><th scope="col">${t('web.program.status')}</th></tr></thead><tbody>${card.programs.flatMap(
        (p) =>
          (p.indicators.length ? p.indicators : [null]).map(
            (i, n) =>
              html`<tr>${n === 0 ? html`<th scope="rowgroup" rowspan="${Math.max(1, p.indicators.length)}"><a href="/programs/${p.code}">${p.title[locale]}</a>${codeAfter(p.code)}${p.hasOutcomeIndicator ? '' : html`<br><span class="warn">⚠ ${t('home.noOutcome')}</span>`}</th>` : ''}<td>${
                i
                  ? html`<a href="/indicators/${i.code}">${i.name[locale]}</a> <span class="small muted">${t(`level.${i.level}`)} · ${i.code}</span>`
                  : '—'
              }</td><td>${i ? chip(t, i.status) : ''}</td></tr>`,
          ),
      )}</tbody></table>`
    : html`<p class="muted">${t('web.node.noPrograms')}</p>`;
  const framework = (await listFrameworks(store)).find((f) => f.code === node.framework);
  const body = html`<p class="small"><a href="/">${t('web.nav.home')}</a> › ${framework?.title[locale] ?? node.framework}${parent ? html` › <a href="/nodes/${parent.ref}">${parent.title[locale]}</a>` : ''}</p>
<h1>${node.title[locale]}</h1>
<p class="small muted">${t('web.node.codeLine', { framework: framework?.title[locale] ?? node.framework, code: node.code })}</p>
<p>${node.description[locale] ?? ''}</p>
${children.length ? html`<h2>${t('web.node.children')}</h2><ul>${children.map((c) => html`<li><a href="/nodes/${c.ref}">${c.title[locale]}</a>${codeAfter(c.code)}</li>`)}</ul>` : ''}
<h2>${t('web.node.programs')}</h2>${programs}
<p class="small"><a href="/nodes/${node.ref}/funding">${t('web.node.fundingLink')}</a></p>
<h2 id="benchmarks">${t('web.benchmarks.title')}</h2>${approvedNotice(reader)}${benchmarkCards(reader, benchmarks)}
<h2>${t('web.node.crosswalk')}</h2>${
    links.length
      ? html`<ul>${links.map((l) => {
          const other = l.from === ref ? l.to : l.from;
          return html`<li>${t(`relation.${l.relation}`)} <a href="/nodes/${other}">${title(other)}</a>${codeAfter(other)} <span class="small muted">(${t(`basis.${l.basis}`)})</span>${l.note[locale] ? html`<br><span class="small">${l.note[locale]!}</span>` : ''}</li>`;
        })}</ul>`
      : html`<p class="muted">${t('web.node.noCrosswalk')}</p>`
  }`;
  return { status: 200, body: page({ reader, title: node.title[locale], body }) };
}
