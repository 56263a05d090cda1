/**
 * The sections of a framework report about indicators: the summary (how many targets of the period are
 * in each status), the indicators by framework node with % of target met, and the outcome coverage of the
 * portfolio.
 * @module
 */
import { html, type Html } from '../html.js';
import { inLang, none, num, pct, section, th, type SectionContext } from './report-context.js';

/** The period, the programs and the statuses of the period's targets, in sentences and a table. */
export function summarySection({ t, locale, report, heading, id }: SectionContext): Html {
  const c = report.counts;
  const body =
    c.total === 0
      ? none(t('web.report.noTargets', { period: report.period.code }))
      : html`<p>${t('web.report.summaryText', { period: report.period.code, programs: report.programs.length, targets: c.total })}</p>
          <table class="counts">
            <thead><tr>${th(t('web.program.status'))}${th(t('web.report.targets'), true)}</tr></thead>
            <tbody>
              ${(['green', 'amber', 'red', 'no_data'] as const).map(
                (s) =>
                  html`<tr><td><span class="status ${s}">${t(`status.${s}`)}</span></td><td class="n">${num(locale, c[s], 0)}</td></tr>`,
              )}
            </tbody>
          </table>`;
  return section(id, heading, body);
}

/** Each framework node with the programs serving it and their indicators' scores inside the period. */
export function indicatorsSection({ t, locale, report, heading, id }: SectionContext): Html {
  const programs = new Map(report.programs.map((p) => [p.code, p]));
  const nodes = report.nodes.map((n) => {
    const rows = n.programs.flatMap((code) => {
      const p = programs.get(code)!;
      return p.indicators.flatMap((i) =>
        i.scores.map(
          (s) => html`<tr>
            <td class="k">${p.code}</td>
            <td>${inLang(locale, i.name)} <span class="small">(${t(`level.${i.level}`)}; ${inLang(locale, i.unit)})</span></td>
            <td class="k">${s.period}${s.place ? ` · ${s.place}` : ''}</td>
            <td class="n">${num(locale, s.baseline)}</td>
            <td class="n">${num(locale, s.target)}</td>
            <td class="n">${num(locale, s.actual)}</td>
            <td class="n">${pct(locale, s.percentMet)}</td>
            <td><span class="status ${s.status}">${t(`status.${s.status}`)}</span>${s.reason ? html` <span class="small">${t(`web.reason.${s.reason}`)}</span>` : ''}</td>
          </tr>`,
        ),
      );
    });
    return html`<h3>${n.ref} · ${inLang(locale, n.title)}</h3>
      ${
        rows.length === 0
          ? none(t('web.report.nodeNoTargets', { period: report.period.code }))
          : html`<table>
              <thead><tr>${th(t('web.report.program'))}${th(t('web.program.indicator'))}${th(t('web.program.period'))}${th(t('web.program.baseline'), true)}${th(t('web.program.target'), true)}${th(t('web.program.actual'), true)}${th(t('web.program.met'), true)}${th(t('web.program.status'))}</tr></thead>
              <tbody>${rows}</tbody>
            </table>`
      }`;
  });
  return section(id, heading, nodes.length === 0 ? none(t('web.report.noPrograms')) : html`${nodes}`);
}

/** The share of programs (and of dollars) with an outcome or impact indicator, and those without. */
export function coverageSection({ t, locale, report, heading, id }: SectionContext): Html {
  const c = report.coverage;
  return section(
    id,
    heading,
    html`<p>${t('web.report.coverageText', { with: c.withOutcome, programs: c.programs, share: pct(locale, c.share) })}</p>
      ${c.without.length > 0 ? html`<p>${t('web.report.coverageWithout', { programs: c.without.join(', ') })}</p>` : ''}`,
  );
}
