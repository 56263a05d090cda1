/**
 * Framework benchmarks on the pages. On a node's page, each benchmark of the node: what it measures, its
 * baseline, and each target with its actual, both countries' approvals and how it stands, a target
 * counting only once both countries have approved it; a signed-in approver whose country has not yet
 * approved a target gets a button to approve it. On the home page, one line per benchmark.
 * @module
 */
import type { BenchmarkProgress } from '../../benchmarks/benchmark-progress.js';
import { awaiting, type TargetApprovals } from '../../domain/benchmark.js';
import { formatDate, formatNumber, translator, type Locale, type Translate } from '../../i18n/index.js';
import { html, type Html } from '../html.js';
import type { Reader } from '../reader.js';

/** The status colours of the scorecards: met green, not met red, the rest grey. */
const STANDING_CLASS = { met: 'green', not_met: 'red', no_target: 'no_data', no_data: 'no_data' } as const;

const number = (locale: Locale, v: number | null) =>
  v === null ? '—' : formatNumber(locale, v, { maximumFractionDigits: 1 });

/** Who approved each country's part, and when; the approver's name only for signed-in officials. */
function approvalText(t: Translate, locale: Locale, a: TargetApprovals, official: boolean): Html {
  const given = (['US', 'MX'] as const)
    .filter((c) => a[c] !== null)
    .map((c) => {
      const values = { country: t(`web.session.country.${c}`), date: formatDate(locale, a[c]!.at) };
      return official
        ? t('web.benchmarks.approvedBy', { ...values, user: a[c]!.by })
        : t('web.benchmarks.approvedOn', values);
    });
  const missing = awaiting(a).map((c) => t(`web.session.country.${c}`));
  return html`${given.join('; ')}${given.length && missing.length ? html`<br />` : ''}${
    missing.length
      ? html`<span class="warn">${t('web.benchmarks.awaiting', { countries: missing.join(t('web.benchmarks.and')) })}</span>`
      : ''
  }`;
}

function approveButton(
  t: Translate,
  reader: Reader,
  code: string,
  period: string,
  version: number,
  a: TargetApprovals,
): Html | '' {
  const s = reader.session;
  if (!s || !s.roles.includes('approver')) return '';
  const country = s.country as 'US' | 'MX';
  if (a[country] !== null) return '';
  return html`<form method="post" action="/benchmarks/${code}/targets/${period}/approve" class="decision">
    <input type="hidden" name="_csrf" value="${s.csrf}" />
    <input type="hidden" name="version" value="${String(version)}" />
    <button type="submit">${t('web.benchmarks.approve', { period, country: t(`web.session.country.${country}`) })}</button>
  </form>`;
}

/** The benchmarks of a node, as its page shows them. */
export function benchmarkCards(reader: Reader, progress: readonly BenchmarkProgress[]): Html {
  const { locale } = reader;
  const t = translator(locale);
  if (progress.length === 0) return html`<p class="muted">${t('web.benchmarks.none')}</p>`;
  return html`${progress.map((p) => {
    const b = p.benchmark;
    const rows = b.targets.map((target, i) => {
      const tp = p.targets[i]!;
      return html`<tr>
        <th scope="row">${target.period}</th>
        <td class="n">${number(locale, target.value)}</td>
        <td class="n">${number(locale, tp.actual)}</td>
        <td>${approvalText(t, locale, target.approvals, reader.viewer !== null)}${approveButton(t, reader, b.code, target.period, target.version, target.approvals)}</td>
        <td><span class="s ${STANDING_CLASS[tp.standing]}">${t(`web.benchmarks.standing.${tp.standing}`)}</span></td>
      </tr>`;
    });
    return html`<section class="card benchmark" id="benchmark-${b.code}">
      <h3>${b.name[locale]}</h3>
      <p>${b.definition[locale]}</p>
      <p class="small muted">${b.code} · ${b.unit[locale]} · ${t(`web.program.${b.direction}`)} · ${t('web.benchmarks.coOwned')}</p>
      <p class="takeaway">${
        p.counted.inEffect === 0
          ? t('web.benchmarks.noneInEffect', { count: b.targets.length })
          : t('web.benchmarks.summary', { inEffect: p.counted.inEffect, met: p.counted.met })
      }${p.baseline !== null && b.baseline ? ` ${t('web.benchmarks.baseline', { period: b.baseline.period, value: number(locale, p.baseline) })}` : ''}</p>
      ${
        b.targets.length
          ? html`<table>
            <thead>
              <tr>
                <th scope="col">${t('web.benchmarks.period')}</th>
                <th scope="col" class="n">${t('web.benchmarks.target')}</th>
                <th scope="col" class="n">${t('web.benchmarks.actual')}</th>
                <th scope="col">${t('web.benchmarks.approvals')}</th>
                <th scope="col">${t('web.benchmarks.standingTitle')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
          : html`<p class="muted">${t('web.benchmarks.noTargets')}</p>`
      }
    </section>`;
  })}`;
}

/** One line per benchmark, for the home page. */
export function benchmarkLines(
  reader: Reader,
  progress: readonly BenchmarkProgress[],
  titles: (ref: string) => string,
): Html {
  const { locale } = reader;
  const t = translator(locale);
  if (progress.length === 0) return html`<p class="muted">${t('web.benchmarks.noneAnywhere')}</p>`;
  return html`<ul>
    ${progress.map(
      (p) => html`<li>
        <a href="/nodes/${p.benchmark.node}#benchmark-${p.benchmark.code}">${p.benchmark.name[locale]}</a>
        <span class="small muted">(${titles(p.benchmark.node)})</span>:
        ${p.latest ? t('web.benchmarks.latest', { period: p.latest.period, value: number(locale, p.latest.actual), unit: p.benchmark.unit[locale] }) : t('web.benchmarks.noActual')}
        · ${p.counted.inEffect === 0 ? t('web.benchmarks.noneInEffect', { count: p.benchmark.targets.length }) : t('web.benchmarks.summary', { inEffect: p.counted.inEffect, met: p.counted.met })}
      </li>`,
    )}
  </ul>`;
}

/** What an approval just did, from the query its redirect carries; nothing when the query says nothing. */
export function approvedNotice(reader: Reader): Html | '' {
  const q = reader.url.searchParams;
  const country = q.get('country');
  const code = q.get('benchmark') ?? '';
  const period = q.get('period') ?? '';
  if (q.get('done') !== 'approved' || (country !== 'US' && country !== 'MX')) return '';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(code) || !/^[A-Z0-9-]{4,10}$/.test(period)) return '';
  const t = translator(reader.locale);
  return html`<p class="card" role="status">
    ${t('web.benchmarks.done', { code, period, country: t(`web.session.country.${country}`) })}
  </p>`;
}
