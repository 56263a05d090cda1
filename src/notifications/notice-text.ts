/**
 * A notice in words, in the reader's language: one line that says what happened to what, by whom; a
 * second that gives the detail (a return's comment, a lock's reason, an anomaly's usual level); and the
 * page to open. The inbox, the private Atom feed and the e-mails all write notices with this.
 * @module
 */
import { formatMonths, formatNumber, translator, type Locale } from '../i18n/index.js';
import type { NotificationEvent } from '../records/schema.js';
import { DEFAULT_THRESHOLDS } from '../domain/score-types.js';

export interface NoticeText {
  title: string;
  detail: string;
  /** The page to open, relative to the site's root. */
  path: string;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** A month `2024-03` in words. */
const month = (locale: Locale, m: string) => formatMonths(locale, m, m);

export function noticeText(
  locale: Locale,
  event: NotificationEvent,
  subject: Record<string, unknown>,
): NoticeText {
  const t = translator(locale);
  const actor = str(subject.actor);
  if (event === 'anomaly') {
    const key = `web.crime.${str(subject.measure)}`;
    const label = t(key);
    const values = {
      place: str(subject.name) || str(subject.place),
      measure: label === key ? str(subject.measure) : label,
      month: month(locale, str(subject.month)),
      value: formatNumber(locale, Number(subject.value), { maximumFractionDigits: 0 }),
      expected: formatNumber(locale, Number(subject.expected), { maximumFractionDigits: 1 }),
      source: str(subject.source),
    };
    return {
      title: t(`notice.anomaly.${subject.direction === 'drop' ? 'drop' : 'spike'}`, values),
      detail: t(subject.quietBaseline ? 'notice.anomaly.quiet' : 'notice.anomaly.detail', values),
      path: `/places/${encodeURIComponent(str(subject.place))}`,
    };
  }
  if (event === 'threshold') {
    const percent = (v: number) => formatNumber(locale, v, { style: 'percent', maximumFractionDigits: 0 });
    const values = {
      indicator: str(locale === 'es' ? subject.indicator_es : subject.indicator_en) || str(subject.indicator),
      status: t(`status.${str(subject.status)}`),
      before: t(`status.${str(subject.before) || 'no_data'}`),
      period: str(subject.period),
      percent:
        subject.percentMet === null || subject.percentMet === undefined
          ? ''
          : percent(Number(subject.percentMet)),
      actor,
      program: str(subject.program),
      green: percent(DEFAULT_THRESHOLDS.green),
      amber: percent(DEFAULT_THRESHOLDS.amber),
    };
    return {
      title: t(values.percent ? 'notice.threshold.title' : 'notice.threshold.titleNoPercent', values),
      detail: t('notice.threshold.detail', values),
      path: `/indicators/${encodeURIComponent(str(subject.indicator))}`,
    };
  }
  if (event === 'locked')
    return {
      title: t('notice.title.locked', { period: str(subject.period), actor }),
      detail: subject.reason
        ? t('notice.lockedOverride', { reason: str(subject.reason) })
        : t('notice.detail.locked'),
      path: '/review',
    };
  const indicator =
    str(locale === 'es' ? subject.indicator_es : subject.indicator_en) || str(subject.indicator);
  const program = str(locale === 'es' ? subject.program_es : subject.program_en) || str(subject.program);
  const values = {
    indicator,
    program,
    place: str(subject.place_name) || str(subject.place),
    period: /^\d{4}-\d{2}$/.test(str(subject.period))
      ? month(locale, str(subject.period))
      : str(subject.period),
    actor,
    comment: str(subject.comment),
  };
  const detail =
    event === 'returned' && subject.comment
      ? t('notice.returnedComment', values)
      : t(`notice.detail.${event}`, values);
  return {
    title: t(`notice.title.${event}`, values),
    detail,
    path:
      event === 'submitted' || event === 'returned'
        ? `/review/${str(subject.result)}`
        : `/results/${str(subject.result)}/history`,
  };
}
