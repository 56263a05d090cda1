/**
 * The funding section of a framework report: the approved funding of the fiscal years that overlap the
 * period, from budget to disbursement, with the security share; "no approved funding" when there is none.
 * @module
 */
import { html, type Html } from '../html.js';
import { money, none, pct, section, th, type SectionContext } from './report-context.js';

export function fundingSection({ t, locale, report, heading, id }: SectionContext): Html {
  const f = report.funding;
  if (f === null)
    return section(id, heading, none(t('web.report.noFunding', { period: report.period.code })));
  const rows = f.flow.map((row) => {
    const share = f.share.find((s) => s.fiscal_year === row.fiscal_year)?.securityShare ?? null;
    return html`<tr>
      <td class="k">${row.fiscal_year}</td>
      <td class="n">${money(locale, row.budget)}</td>
      <td class="n">${money(locale, row.stages.obligation)}</td>
      <td class="n">${money(locale, row.stages.disbursement + row.stages.expenditure)}</td>
      <td class="n">${pct(locale, share)}</td>
    </tr>`;
  });
  return section(
    id,
    heading,
    html`<p>${t('web.report.fundingText')}</p>
      <table>
        <thead><tr>${th(t('web.report.fiscalYear'))}${th(t('web.report.budget'), true)}${th(t('web.funding.stage.obligation'), true)}${th(t('web.report.disbursed'), true)}${th(t('web.report.securityShare'), true)}</tr></thead>
        <tbody>${rows}</tbody>
      </table>`,
  );
}
