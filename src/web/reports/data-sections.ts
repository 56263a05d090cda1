/**
 * The sections of a data-quality annex: the statistics vintages in force with their checksums, periods
 * and row counts; the rows each import rejected, by reason with examples; the documented figures checked
 * against the data; INEGI against SESNSP for the country and each state; and the verified head of the
 * records' audit chain.
 * @module
 */
import { formatBytes, formatPercent } from '../../i18n/index.js';
import type { DataAnnex } from '../../reports/data-annex.js';
import { rejectReasonIn } from '../../stats/reject-reasons.js';
import { html, type Html } from '../html.js';
import { none, num, section, th, type SectionContext } from './report-context.js';

type Ctx = SectionContext<DataAnnex>;

/** Each vintage in force: its source, file, checksum, period and rows. */
export function vintagesSection({ t, locale, report, heading, id }: Ctx): Html {
  if (report.vintages.length === 0) return section(id, heading, none(t('web.report.noVintages')));
  return section(
    id,
    heading,
    html`<p>${t('web.report.data.vintagesText', { count: report.vintages.length })}</p>
      <table>
        <thead><tr>${th(t('web.report.data.source'))}${th(t('web.report.data.file'))}${th(t('web.report.data.covers'))}${th(t('web.report.data.rows'), true)}${th(t('web.report.data.rejectedRows'), true)}</tr></thead>
        <tbody>
          ${report.vintages.map(
            (v) => html`<tr>
              <td><span class="k">${v.source}</span><br /><span class="small">${v.publisher}</span></td>
              <td>${v.file_name} <span class="small">(${formatBytes(locale, v.bytes)})</span><br /><code class="small">${v.sha256}</code></td>
              <td class="k">${v.period_from ?? '—'} – ${v.period_to ?? '—'}</td>
              <td class="n">${num(locale, v.rows_loaded, 0)}</td>
              <td class="n">${num(locale, v.rows_rejected, 0)}</td>
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

/** The rows the imports in force rejected: per vintage and reason, the count and the first rows. */
export function rejectedSection({ t, locale, report, heading, id }: Ctx): Html {
  if (report.rejects.length === 0) return section(id, heading, none(t('web.report.data.noRejects')));
  return section(
    id,
    heading,
    html`<p>${t('web.report.data.rejectedText')}</p>
      ${report.rejects.map(
        (v) => html`<h3>${v.source}: ${v.file}</h3>
          <p>${t('web.report.data.rejectedOf', { rejected: num(locale, v.rejected, 0), read: num(locale, v.rowsRead, 0), share: formatPercent(locale, v.rowsRead ? v.rejected / v.rowsRead : 0) })}</p>
          <table>
            <thead><tr>${th(t('web.report.data.reason'))}${th(t('web.report.data.count'), true)}${th(t('web.report.data.examples'))}</tr></thead>
            <tbody>
              ${v.reasons.map(
                (r) => html`<tr>
                  <td>${rejectReasonIn(locale, r.reason)}</td>
                  <td class="n">${num(locale, r.count, 0)}</td>
                  <td class="small">${r.examples.map((e, i) => html`${i ? '; ' : ''}${t('web.report.data.example', { line: e.line, column: e.column, value: e.value ?? '—' })}`)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`,
      )}`,
  );
}

/** Documented figures against what the data compute, with the verdict of each. */
export function claimsSection({ t, locale, report, heading, id }: Ctx): Html {
  const claims = report.claims;
  if (claims.length === 0) return section(id, heading, none(t('web.report.data.noClaims')));
  const count = (v: string) => claims.filter((c) => c.verdict === v).length;
  return section(
    id,
    heading,
    html`<p>${t('web.report.data.claimsText', { consistent: count('consistent'), discrepant: count('discrepant'), unchecked: count('not_checkable') })}</p>
      <table>
        <thead><tr>${th(t('web.report.data.figure'))}${th(t('web.report.data.documented'), true)}${th(t('web.report.data.computed'), true)}${th(t('web.report.data.difference'), true)}${th(t('web.report.data.verdict'))}</tr></thead>
        <tbody>
          ${claims.map(
            (c) => html`<tr>
              <td><span class="k">${c.figure}</span><br /><span class="small">${c.measure} · ${c.geo} · ${c.period}</span></td>
              <td class="n">${c.documented}</td>
              <td class="n">${num(locale, c.computed, 0)}</td>
              <td class="n">${c.difference === null ? '—' : formatPercent(locale, c.difference, { signed: true })}</td>
              <td><span class="verdict ${c.verdict}">${t(`web.report.data.verdictOf.${c.verdict}`)}</span></td>
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

/** INEGI against SESNSP: the country by year, and each state in the latest year both cover. */
export function dataReconciliationSection({ t, locale, report, heading, id }: Ctx): Html {
  const { national, states, year } = report.reconciliation;
  if (national.length === 0) return section(id, heading, none(t('web.report.data.noReconciliation')));
  const row = (label: string, r: (typeof national)[number]) => html`<tr>
    <td class="k">${label}</td>
    <td class="n">${num(locale, r.inegiHomicides, 0)}</td>
    <td class="n">${num(locale, r.sesnspTotal, 0)}</td>
    <td class="n">${r.gap === null ? '—' : formatPercent(locale, r.gap, { signed: true })}</td>
  </tr>`;
  const head = (first: string) =>
    html`<thead><tr>${th(first)}${th('INEGI', true)}${th('SESNSP', true)}${th(t('web.profile.gap'), true)}</tr></thead>`;
  return section(
    id,
    heading,
    html`<p>${t('web.report.data.reconciliationText')}</p>
      <table>${head(t('web.profile.year'))}<tbody>${national.map((r) => row(r.year, r))}</tbody></table>
      ${
        states.length
          ? html`<h3>${t('web.report.data.statesIn', { year: year! })}</h3>
            <table>${head(t('web.explore.place'))}<tbody>${states.map((r) => row(r.name ?? r.geo, r))}</tbody></table>`
          : ''
      }`,
  );
}

/** The records' audit chain as verified now: entries, head, signatures, records off their audited state. */
export function auditSection({ t, locale, report, heading, id }: Ctx): Html {
  const a = report.audit;
  return section(
    id,
    heading,
    html`<p class="status ${a.tampered ? 'red' : 'green'}">${t(a.tampered ? 'web.report.data.tampered' : 'web.report.data.intact')}</p>
      <table>
        <tbody>
          <tr><th scope="row">${t('web.report.data.entries')}</th><td class="n">${num(locale, a.entries, 0)}</td></tr>
          <tr><th scope="row">${t('web.report.data.head')}</th><td class="small"><code>${a.head ?? '—'}</code></td></tr>
          <tr><th scope="row">${t('web.report.data.unsigned')}</th><td class="n">${num(locale, a.unsigned, 0)}</td></tr>
          <tr><th scope="row">${t('web.report.data.badSignatures')}</th><td class="n">${num(locale, a.badSignatures, 0)}</td></tr>
          <tr><th scope="row">${t('web.report.data.brokenAt')}</th><td class="n">${a.brokenAt ?? '—'}</td></tr>
          <tr><th scope="row">${t('web.report.data.mismatches')}</th><td class="n">${num(locale, a.mismatches, 0)}</td></tr>
        </tbody>
      </table>
      <p class="small">${t('web.report.data.auditText')}</p>`,
  );
}
