/**
 * The sections of a framework report about programs: their narratives, the lessons recorded in the
 * period, their risks, and GAO monitoring-practice compliance.
 * @module
 */
import { GAO_PRACTICES } from '../../domain/practices.js';
import { html, type Html } from '../html.js';
import { inLang, none, pct, section, th, type SectionContext } from './report-context.js';

/** Each program: its title, status, dates, the nodes it serves and its description. */
export function narrativesSection({ t, locale, report, heading, id }: SectionContext): Html {
  const body = report.programs.map(
    (p) => html`<article class="program">
      <h3>${p.code} · ${inLang(locale, p.title)}</h3>
      <p class="small">${t(`web.program.state.${p.status}`)} · ${p.start ?? '—'} – ${p.end ?? '—'} · ${t('web.program.serves')}: ${p.serves.join(', ') || '—'} · ${t(`web.classification.${p.classification}`)}</p>
      ${p.description ? html`<p>${inLang(locale, p.description)}</p>` : none(t('web.report.noNarrative'))}
    </article>`,
  );
  return section(
    id,
    heading,
    report.programs.length === 0 ? none(t('web.report.noPrograms')) : html`${body}`,
  );
}

/** The lessons recorded inside the period, by program. */
export function lessonsSection({ t, locale, report, heading, id }: SectionContext): Html {
  const rows = report.programs.flatMap((p) =>
    p.lessons.map(
      (l) => html`<tr>
        <td class="k">${p.code}</td>
        <td class="k">${String(l.recorded_on).slice(0, 10)}</td>
        <td>${l.category}</td>
        <td>${locale === 'es' ? l.lesson_es : l.lesson_en}</td>
        <td>${l.action ?? '—'}</td>
      </tr>`,
    ),
  );
  return section(
    id,
    heading,
    rows.length === 0
      ? none(t('web.report.noLessons', { period: report.period.code }))
      : html`<table>
          <thead><tr>${th(t('web.report.program'))}${th(t('web.report.recorded'))}${th(t('web.report.category'))}${th(t('web.report.lesson'))}${th(t('web.report.action'))}</tr></thead>
          <tbody>${rows}</tbody>
        </table>`,
  );
}

/** Every program's risks, with likelihood, impact, mitigation and status. */
export function risksSection({ t, locale, report, heading, id }: SectionContext): Html {
  const rows = report.programs.flatMap((p) =>
    p.risks.map(
      (r) => html`<tr>
        <td class="k">${p.code}</td>
        <td>${locale === 'es' ? r.description_es : r.description_en}</td>
        <td>${t(`web.report.rating.${r.likelihood}`)}</td>
        <td>${t(`web.report.rating.${r.impact}`)}</td>
        <td>${r.mitigation ?? '—'}</td>
        <td>${t(`web.report.riskStatus.${r.status}`)}</td>
      </tr>`,
    ),
  );
  return section(
    id,
    heading,
    rows.length === 0
      ? none(t('web.program.noRisks'))
      : html`<table>
          <thead><tr>${th(t('web.report.program'))}${th(t('web.program.risk'))}${th(t('web.program.likelihood'))}${th(t('web.program.impact'))}${th(t('web.program.mitigation'))}${th(t('web.program.status'))}</tr></thead>
          <tbody>${rows}</tbody>
        </table>`,
  );
}

/** The portfolio's GAO compliance by practice, then each program's score and assessments. */
export function practicesSection({ t, locale, report, heading, id }: SectionContext): Html {
  const portfolio = report.portfolio;
  const byPractice = GAO_PRACTICES.map((k) => {
    const p = portfolio.byPractice[k];
    return html`<tr><td>${t(`web.practice.${k}`)}</td><td class="n">${p.met}</td><td class="n">${p.applicable}</td><td class="n">${pct(locale, p.share)}</td></tr>`;
  });
  const programs = report.programs.map(
    (p) => html`<tr>
      <td class="k">${p.code}</td>
      <td class="n">${pct(locale, p.compliance.score)}</td>
      <td>${p.practices.map((x) => `${t(`web.practice.${x.practice}`)}: ${t(`web.practiceState.${x.state}`)}`).join('; ') || '—'}</td>
    </tr>`,
  );
  return section(
    id,
    heading,
    html`<p>${t('web.report.portfolioCompliance', { score: pct(locale, portfolio.score), programs: portfolio.programs })}</p>
      <table>
        <thead><tr>${th(t('web.program.practice'))}${th(t('web.report.met'), true)}${th(t('web.report.applicable'), true)}${th(t('web.report.share'), true)}</tr></thead>
        <tbody>${byPractice}</tbody>
      </table>
      <table>
        <thead><tr>${th(t('web.report.program'))}${th(t('web.report.compliance'), true)}${th(t('web.program.assessment'))}</tr></thead>
        <tbody>${programs}</tbody>
      </table>`,
  );
}
