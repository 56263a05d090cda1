/**
 * The anomalous months of a profile, each with what was usual before it: the median of the trailing
 * window and the robust z-score, or, after months that were nearly all zero, "usually none" (a z-score
 * against a baseline of zero is only the count itself).
 * @module
 */
import { formatNumber, translator, type Locale } from '../../i18n/index.js';
import type { AnomalyResult } from '../../stats/anomalies.js';
import { html, type Html } from '../html.js';

export function anomalyList(found: AnomalyResult, locale: Locale): Html {
  const t = translator(locale);
  const n = (v: number, digits = 1) => formatNumber(locale, v, { maximumFractionDigits: digits });
  if (found.anomalies.length === 0)
    return html`<p>${t('web.profile.noAnomalies', { months: found.examined.months })}</p>`;
  return html`<ul>
      ${found.anomalies.map(
        (a) =>
          html`<li>
            ${a.period}: ${n(a.value, 0)}
            (${
              a.quietBaseline
                ? t('web.profile.usuallyNone', { window: found.query.window })
                : t('web.profile.expectedZ', { expected: n(a.expected, 1), z: n(a.z, 1) })
            },
            ${t(`web.profile.${a.direction}`)})
          </li>`,
      )}
    </ul>
    <p class="small muted">${t('web.profile.anomalyRule', { window: found.query.window, threshold: n(found.query.threshold) })}</p>`;
}
