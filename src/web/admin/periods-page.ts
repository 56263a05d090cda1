/**
 * `/admin/periods`: the reporting periods as an admin reviews them before locking: owner, dates, the
 * results within each by status, and whether and how it is locked. An admin of the period's country
 * locks it with a plain form; a reason is required while results within it are unapproved, and it is
 * recorded. No script.
 * @module
 */
import { formatDate, formatNumber, translator, type Translate } from '../../i18n/index.js';
import type { PeriodOverview } from '../../records/period-overview.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Reader } from '../reader.js';
import { adminNav } from './admin-nav.js';

/** What the page says above the table: a lock done or refused, in the reader's language. */
export interface PeriodsMessage {
  kind: 'done' | 'refused';
  text: string;
  /** The period the message is about: its form keeps the reason typed. */
  period?: string;
  reason?: string;
}

function counts(t: Translate, reader: Reader, p: PeriodOverview): string {
  const r = p.results;
  return (['draft', 'submitted', 'approved', 'locked'] as const)
    .filter((s) => r[s] > 0)
    .map((s) => `${formatNumber(reader.locale, r[s])} ${t(`web.admin.periods.count.${s}`)}`)
    .join(' · ');
}

function action(t: Translate, reader: Reader, p: PeriodOverview, message?: PeriodsMessage): Html {
  if (p.lockedAt)
    return html`${t('web.admin.periods.lockedBy', {
      user: p.lockedBy ?? '',
      date: formatDate(reader.locale, p.lockedAt, { time: true }),
    })}${p.lockReason ? html`<br /><span class="small">${t('web.admin.periods.reason')}: ${p.lockReason}</span>` : ''}`;
  if (p.country !== reader.session?.country)
    return html`<span class="small muted">${t('web.admin.periods.otherCountry', { country: t(`web.session.country.${p.country}`) })}</span>`;
  const unapproved = p.results.draft + p.results.submitted;
  const mine = message?.kind === 'refused' && message.period === p.code;
  const id = `reason-${p.code.replace(/[^A-Za-z0-9-]/g, '_')}`;
  return html`<form method="post" action="/admin/periods/${encodeURIComponent(p.code)}/lock" class="decision">
    <input type="hidden" name="_csrf" value="${reader.session!.csrf}" />
    ${
      unapproved > 0
        ? html`<label for="${id}">${t('web.admin.periods.overrideLabel', { count: unapproved })}</label>
            <textarea id="${id}" name="override_reason" rows="2" maxlength="2000">${mine ? (message?.reason ?? '') : ''}</textarea>`
        : ''
    }
    <button type="submit">${t('web.admin.periods.lock', { period: p.code })}</button>
  </form>`;
}

export function renderPeriods(reader: Reader, periods: PeriodOverview[], message?: PeriodsMessage): string {
  const t = translator(reader.locale);
  const title = t('web.admin.periods.title');
  const notice = message
    ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
    : '';
  const body = html`<h1>${title}</h1>
    ${adminNav(reader, 'periods')}
    <p>${t('web.admin.periods.intro')}</p>
    ${notice}
    <table>
      <thead>
        <tr>
          <th scope="col">${t('web.admin.periods.colPeriod')}</th>
          <th scope="col">${t('web.admin.periods.colOwner')}</th>
          <th scope="col">${t('web.admin.periods.colResults')}</th>
          <th scope="col">${t('web.admin.periods.colLock')}</th>
        </tr>
      </thead>
      <tbody>
        ${periods.map(
          (p) =>
            html`<tr id="period-${p.code.replace(/[^A-Za-z0-9-]/g, '_')}">
              <th scope="row">${p.code}<br /><span class="small muted">${formatDate(reader.locale, p.start)} – ${formatDate(reader.locale, p.end)}</span></th>
              <td>${p.agency} (${t(`web.session.country.${p.country}`)})</td>
              <td>${counts(t, reader, p) || html`<span class="muted">—</span>`}</td>
              <td>${action(t, reader, p, message)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return page({ reader, title, section: 'admin', body });
}
