/**
 * `/timeline`: a statistics series of one place, with the incidents the reader may see and the dated
 * interventions marked on it, numbered, and listed beside it with their sources. The form's fields are
 * the URL, as in the explorer, so a link reproduces the view; any measure, place, period length and
 * window may be chosen. The marks say when something happened, never that it caused what follows.
 * @module
 */
import type { Viewer } from '../../access/viewer.js';
import { INCIDENT_KINDS, type IncidentKind } from '../../domain/incidents/incident-schema.js';
import { parsePeriod } from '../../domain/periods.js';
import { MarcoError } from '../../error.js';
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import { timelineEvents, type TimelineEvent } from '../../incidents/timeline.js';
import type { RecordsStore } from '../../records/database.js';
import { MEASURES } from '../../stats/measures.js';
import { querySeries, type SeriesResult } from '../../stats/series.js';
import { seriesQueryFromText } from '../../stats/series-query.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { lineChart } from '../charts.js';
import { emptyStore, queryRefusal } from '../explorer.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { placeName } from '../places.js';
import type { Reader } from '../reader.js';
import { incidentItem, sourceList } from '../incidents/incident-parts.js';

const DEFAULTS = { measure: 'homicides', geo: 'MX', by: 'month', from: '2005-01', to: '', per: '' };
type Params = typeof DEFAULTS;

/** The view's parameters: the request's, each unset one its default. */
function paramsOf(url: URL): Params & { kinds: IncidentKind[] | undefined; interventions: boolean } {
  const get = (k: keyof Params) => url.searchParams.get(k)?.trim() || DEFAULTS[k];
  const kinds = url.searchParams
    .getAll('kind')
    .filter((k): k is IncidentKind => (INCIDENT_KINDS as readonly string[]).includes(k));
  return {
    measure: get('measure'),
    geo: get('geo').toUpperCase(),
    by: get('by'),
    from: get('from'),
    to: url.searchParams.get('to')?.trim() ?? '',
    per: url.searchParams.get('per')?.trim() ?? '',
    // The form sends `shown=1` with its checkboxes: a sent form without a kind shows none.
    kinds: url.searchParams.has('shown') ? kinds : kinds.length ? kinds : undefined,
    interventions: url.searchParams.has('shown') ? url.searchParams.get('interventions') === '1' : true,
  };
}

function form(t: Translate, reader: Reader, p: ReturnType<typeof paramsOf>): Html {
  const { locale } = reader;
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}" ${current === value ? html`selected` : ''}>${label}</option>`;
  const shownKinds = p.kinds ?? INCIDENT_KINDS;
  return html`<form class="explore" method="get" action="/timeline">
    <input type="hidden" name="lang" value="${locale}" />
    <input type="hidden" name="shown" value="1" />
    <label>${t('web.explore.measure')}<select name="measure">${MEASURES.map((m) => option(m.id, m.title[locale], p.measure))}</select></label>
    <label>${t('web.explore.geo')}<input name="geo" value="${p.geo}" placeholder="MX, 25, 25006" /></label>
    <label>${t('web.explore.by')}<select name="by">${(['month', 'quarter', 'year'] as const).map((b) => option(b, t(`stats.by.${b}`), p.by))}</select></label>
    <label>${t('web.explore.from')}<input name="from" value="${p.from}" placeholder="2005-01" /></label>
    <label>${t('web.explore.to')}<input name="to" value="${p.to}" placeholder="2024-12" /></label>
    <label>${t('web.explore.per')}<select name="per">${option('', t('web.explore.counts'), p.per)}${option('100000', t('web.explore.per100k'), p.per)}</select></label>
    <fieldset class="inline">
      <legend>${t('web.timeline.show')}</legend>
      ${INCIDENT_KINDS.map(
        (k) =>
          html`<label class="check"><input type="checkbox" name="kind" value="${k}" ${shownKinds.includes(k) ? html`checked` : ''} /> ${t(`web.incidents.kind.${k}`)}</label>`,
      )}
      <label class="check"><input type="checkbox" name="interventions" value="1" ${p.interventions ? html`checked` : ''} /> ${t('web.timeline.interventions')}</label>
    </fieldset>
    <button type="submit">${t('web.explore.show')}</button>
  </form>`;
}

/** The numbered list beside the chart: what each mark is, where, and how to check it. */
function eventList(
  t: Translate,
  reader: Reader,
  events: TimelineEvent[],
  names: (code: string) => string,
): Html {
  const { locale } = reader;
  return html`<ol class="timeline">
    ${events.map((e) => {
      if (e.kind === 'incident') return incidentItem(t, locale, e.incident, names, '', e.number);
      const when = formatDate(locale, e.date);
      const where = e.places.map(names).join(', ');
      const v = e.intervention;
      return html`<li value="${e.number}" id="intervention-${v.id}">
        <span class="mark intervention">${e.number}</span>
        <strong>${v.name}</strong>
        <span class="small muted">· ${when} · ${t('web.timeline.intervention')} (${t('web.timeline.interventionType', { type: v.type })}) · ${where}</span>
        ${sourceList(t, [v.source])}
      </li>`;
    })}
  </ol>`;
}

export async function renderTimeline(
  store: RecordsStore,
  stats: StatsStore | undefined,
  reader: Reader,
  viewer: Viewer,
): Promise<{ status: 200 | 400 | 404; body: string }> {
  const { locale } = reader;
  const t = translator(locale);
  const p = paramsOf(reader.url);
  const title = t('web.timeline.title');
  const shell = (status: 200 | 400 | 404, body: Html | string) => ({
    status,
    body: page({
      reader,
      title,
      section: 'timeline',
      body: html`<h1>${title}</h1>
        <p>${t('web.timeline.lead')}</p>
        ${form(t, reader, p)}${body}`,
    }),
  });
  const unknownKind = reader.url.searchParams
    .getAll('kind')
    .find((k) => !(INCIDENT_KINDS as readonly string[]).includes(k));
  if (unknownKind !== undefined)
    return shell(
      400,
      html`<div class="card" role="alert">
        <strong>${t('web.explore.invalid')}</strong>
        ${t('web.timeline.badKind', { kind: JSON.stringify(unknownKind), kinds: INCIDENT_KINDS.join(', ') })}
      </div>`,
    );
  if (!stats) return shell(200, emptyStore(t));
  let result: SeriesResult;
  try {
    const query: Record<string, string> = { measure: p.measure, geo: p.geo, by: p.by, from: p.from };
    if (p.to) query.to = p.to;
    if (p.per) query.per = p.per;
    result = await querySeries(stats, seriesQueryFromText(query, 'url'));
  } catch (error) {
    if (!(error instanceof MarcoError)) throw error;
    return shell(error.status === 404 ? 404 : 400, queryRefusal(t, locale, error));
  }
  const places = (await stats.metadata()).places;
  const names = (code: string) => placeName(t, code, places.get(code)?.name);
  const points = result.series.flatMap((s) => s.points);
  // The events from the chart's first period on, up to the end of the window asked for (or today): an
  // event after the last figure widens the axis, which shows that the data stop before it.
  const starts = points.map((pt) => pt.start).sort();
  const until = p.to ? parsePeriod(p.to)?.end : undefined;
  const events = await timelineEvents(store, viewer, {
    geo: p.geo,
    ...(starts.length ? { from: starts[0]! } : {}),
    ...(until ? { to: until } : {}),
    ...(p.kinds ? { kinds: p.kinds } : {}),
    interventions: p.interventions,
  });
  const measure = MEASURES.find((m) => m.id === result.measure.id)!;
  const rated = p.per !== '';
  const yLabel = rated
    ? t('web.explore.ratePer', { per: formatNumber(locale, 100_000) })
    : result.measure.unit[locale];
  const chartTitle = t('web.timeline.chartLabel', { measure: measure.title[locale], place: names(p.geo) });
  const chart = points.length
    ? html`<figure>
        ${lineChart(
          result.series.map((s) => ({
            name: names(s.geo),
            points: s.points.map((pt) => ({
              start: pt.start,
              value: rated ? pt.rate : pt.value,
              partial: pt.partial,
            })),
          })),
          {
            label: chartTitle,
            yLabel,
            locale,
            by: result.query.by,
            events: events.map((e) => ({ date: e.date, label: String(e.number), kind: e.kind })),
          },
        )}
        <figcaption>${t('web.timeline.caption', { count: events.length })}</figcaption>
      </figure>`
    : html`<p class="card">${t('web.explore.nothing')}</p>`;
  return shell(
    200,
    html`<h2>${chartTitle}</h2>
      ${chart}
      <p class="card small">${t('web.timeline.caveat')}</p>
      <h2>${t('web.timeline.events', { count: events.length })}</h2>
      ${events.length ? eventList(t, reader, events, names) : html`<p class="muted">${t('web.timeline.noEvents')}</p>`}`,
  );
}
