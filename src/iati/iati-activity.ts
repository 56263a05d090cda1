/**
 * One program as an IATI 2.03 `iati-activity`, written through the escaping XML writer
 * (`xml-writer.ts`: every text and attribute escaped; fast enough for thousands of activities) in the order the schema requires: identifier, reporting and participating
 * organisations, status and dates, Mexico as recipient, the program's DAC sectors, its flow and finance
 * types, budgets (requests, appropriations and allocations), transactions (obligations, disbursements
 * and expenditures: `domain/funding/stages.ts`), a link to its public page, and one result per
 * indicator with its baseline, targets and approved actuals (and their public evidence files). The
 * caller passes public records only.
 * @module
 */
import { DEFAULT_FLOW_TYPE, type ProgramIati } from '../domain/iati/program-iati.js';
import { IATI_FORM, type FundingStage } from '../domain/funding/stages.js';
import { parsePeriod } from '../domain/periods.js';
import { el, text as t, type Xml } from '../xml-writer.js';

type Text = { en: string; es: string };

export interface IatiOrg {
  code: string;
  name: Text;
  kind: 'government' | 'implementer' | 'multilateral' | 'other';
}

export interface IatiEvidence {
  url: string;
  filename: string;
  mediaType: string;
}

export interface IatiIndicator {
  code: string;
  name: Text;
  definition: Text;
  level: 'input' | 'activity' | 'output' | 'outcome' | 'impact';
  unit: Text;
  direction: 'increase' | 'decrease';
  baseline: { value: number; period: string | null } | null;
  periods: { period: string; target: number | null; actual: number | null; evidence: IatiEvidence[] }[];
}

export interface IatiProgram {
  code: string;
  title: Text;
  description: { en: string | null; es: string | null };
  status: 'planned' | 'active' | 'suspended' | 'closed';
  start: string | null;
  end: string | null;
  updated: string;
  funding: IatiOrg[];
  extending: IatiOrg[];
  implementing: IatiOrg[];
  iati: ProgramIati | null;
  lines: {
    fiscal_year: string;
    account: string;
    stage: FundingStage;
    amount: number;
    currency: string;
    /** The agency that reported the line: the transaction's provider. */
    provider?: IatiOrg | undefined;
  }[];
  indicators: IatiIndicator[];
}

/** Who publishes the file: the identifier prefix is its `ref`. */
export interface IatiPublisher {
  ref: string;
  type: string;
  name: Text;
  /** Where the deployment's public pages are, for the activity's web page link. */
  publicUrl: string;
  /** Today, as `YYYY-MM-DD`: no transaction is dated later. */
  today: string;
}

const ORG_TYPE: Record<IatiOrg['kind'], string> = {
  government: '10',
  multilateral: '40',
  implementer: '90',
  other: '90',
};
const STATUS: Record<IatiProgram['status'], string> = {
  planned: '1',
  active: '2',
  suspended: '6',
  closed: '4',
};
const RESULT_TYPE: Record<IatiIndicator['level'], string> = {
  input: '9',
  activity: '9',
  output: '1',
  outcome: '2',
  impact: '3',
};

/** Narratives in English and Spanish (the activity's language is English). */
function narratives(text: { en: string | null; es: string | null }): Xml[] {
  return [
    text.en ? el('narrative', [], t(text.en)) : null,
    text.es ? el('narrative', [['xml:lang', 'es']], t(text.es)) : null,
  ].filter((x): x is Xml => x !== null);
}

/** A fiscal year's first and last days: FY2021 is 1 October 2020 to 30 September 2021. */
export function fiscalYearDates(fy: string): { start: string; end: string } {
  const year = Number(fy.slice(2));
  return { start: `${year - 1}-10-01`, end: `${year}-09-30` };
}

/** A decimal as the schema's `xsd:decimal`: never exponent notation. */
const decimal = (n: number) => {
  const rounded = Math.round(n * 100) / 100;
  return Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(2);
};

const org = (o: IatiOrg, role: string) =>
  el(
    'participating-org',
    [
      ['role', role],
      ['type', ORG_TYPE[o.kind]],
    ],
    ...narratives(o.name),
  );

/** Budgets, summed by fiscal year, stage and currency. */
function budgets(p: IatiProgram): Xml[] {
  const sums = new Map<string, { fy: string; stage: FundingStage; currency: string; amount: number }>();
  for (const l of p.lines) {
    if (IATI_FORM[l.stage].element !== 'budget') continue;
    const key = `${l.fiscal_year}|${l.stage}|${l.currency}`;
    const b = sums.get(key) ?? { fy: l.fiscal_year, stage: l.stage, currency: l.currency, amount: 0 };
    b.amount += l.amount;
    sums.set(key, b);
  }
  return [...sums.values()]
    .sort((x, y) => x.fy.localeCompare(y.fy))
    .map((b) => {
      const form = IATI_FORM[b.stage] as { type: string; status: string };
      const { start, end } = fiscalYearDates(b.fy);
      return el(
        'budget',
        [
          ['type', form.type],
          ['status', form.status],
        ],
        el('period-start', [['iso-date', start]]),
        el('period-end', [['iso-date', end]]),
        el(
          'value',
          [
            ['currency', b.currency],
            ['value-date', start],
          ],
          t(decimal(b.amount)),
        ),
      );
    });
}

/** One transaction per obligation, disbursement or expenditure line. */
function transactions(p: IatiProgram, publisher: IatiPublisher): Xml[] {
  return p.lines.flatMap((l) => {
    const form = IATI_FORM[l.stage];
    if (form.element !== 'transaction') return [];
    const { end } = fiscalYearDates(l.fiscal_year);
    const date = end < publisher.today ? end : publisher.today;
    return [
      el(
        'transaction',
        [],
        el('transaction-type', [['code', form.type]]),
        el('transaction-date', [['iso-date', date]]),
        el(
          'value',
          [
            ['currency', l.currency],
            ['value-date', date],
          ],
          t(decimal(l.amount)),
        ),
        el('description', [], el('narrative', [], t(`${l.account} ${l.stage}, ${l.fiscal_year}`))),
        l.provider
          ? el('provider-org', [['type', ORG_TYPE[l.provider.kind]]], ...narratives(l.provider.name))
          : null,
      ),
    ];
  });
}

function result(i: IatiIndicator): Xml {
  const percent = /%|percent|porcentaje/i.test(i.unit.en);
  const base = i.baseline?.period ? parsePeriod(i.baseline.period) : undefined;
  const periods = i.periods.flatMap((p) => {
    const period = parsePeriod(p.period);
    if (!period || (p.target === null && p.actual === null)) return [];
    const links = p.evidence.map((e) =>
      el(
        'document-link',
        [
          ['url', e.url],
          ['format', e.mediaType],
        ],
        el('title', [], el('narrative', [], t(e.filename))),
        el('category', [['code', 'A08']]),
      ),
    );
    return [
      el(
        'period',
        [],
        el('period-start', [['iso-date', period.start]]),
        el('period-end', [['iso-date', period.end]]),
        p.target !== null ? el('target', [['value', decimal(p.target)]]) : null,
        p.actual !== null ? el('actual', [['value', decimal(p.actual)]], ...links) : null,
      ),
    ];
  });
  return el(
    'result',
    [
      ['type', RESULT_TYPE[i.level]],
      ['aggregation-status', 'false'],
    ],
    el('title', [], ...narratives(i.name)),
    el('description', [], ...narratives(i.definition)),
    el(
      'indicator',
      [
        ['measure', percent ? '2' : '1'],
        ['ascending', i.direction === 'increase' ? 'true' : 'false'],
      ],
      el(
        'title',
        [],
        ...narratives({ en: `${i.name.en} (${i.unit.en})`, es: `${i.name.es} (${i.unit.es})` }),
      ),
      el('reference', [
        ['vocabulary', '99'],
        ['code', i.code],
      ]),
      i.baseline && base
        ? el('baseline', [
            ['year', base.start.slice(0, 4)],
            ['iso-date', base.start],
            ['value', decimal(i.baseline.value)],
          ])
        : null,
      ...periods,
    ),
  );
}

/** The `iati-activity` element of `p`, serialised and indented one level, for a file of many. */
export function activityXml(p: IatiProgram, publisher: IatiPublisher): string {
  const started = p.status !== 'planned';
  const first = p.lines.map((l) => l.fiscal_year).sort()[0];
  const start = p.start ?? (first ? fiscalYearDates(first).start : null);
  const description = p.description.en || p.description.es ? p.description : p.title;
  const page = el(
    'document-link',
    [
      ['url', `${publisher.publicUrl.replace(/\/$/, '')}/programs/${encodeURIComponent(p.code)}`],
      ['format', 'text/html'],
    ],
    el('title', [], ...narratives(p.title)),
    el('category', [['code', 'A12']]),
    el('language', [['code', 'en']]),
    el('language', [['code', 'es']]),
  );
  const activity = el(
    'iati-activity',
    [
      ['last-updated-datetime', p.updated],
      ['xml:lang', 'en'],
      ['default-currency', 'USD'],
      ['hierarchy', '1'],
    ],
    el('iati-identifier', [], t(`${publisher.ref}-${p.code}`)),
    el(
      'reporting-org',
      [
        ['ref', publisher.ref],
        ['type', publisher.type],
      ],
      ...narratives(publisher.name),
    ),
    el('title', [], ...narratives(p.title)),
    el('description', [['type', '1']], ...narratives(description)),
    ...p.funding.map((o) => org(o, '1')),
    ...p.extending.map((o) => org(o, '3')),
    ...p.implementing.map((o) => org(o, '4')),
    el('activity-status', [['code', STATUS[p.status]]]),
    start
      ? el('activity-date', [
          ['type', started && p.start ? '2' : '1'],
          ['iso-date', start],
        ])
      : null,
    p.end
      ? el('activity-date', [
          ['type', p.status === 'closed' ? '4' : '3'],
          ['iso-date', p.end],
        ])
      : null,
    !start && !p.end
      ? el('activity-date', [
          ['type', '1'],
          ['iso-date', publisher.today],
        ])
      : null,
    el('recipient-country', [
      ['code', 'MX'],
      ['percentage', '100'],
    ]),
    ...(p.iati?.sectors ?? []).map((x) =>
      el('sector', [
        ['vocabulary', '1'],
        ['code', x.code],
        ['percentage', decimal(x.percentage)],
      ]),
    ),
    el('default-flow-type', [['code', p.iati?.flow_type ?? DEFAULT_FLOW_TYPE]]),
    el('default-finance-type', [['code', '110']]),
    ...budgets(p),
    ...transactions(p, publisher),
    page,
    ...p.indicators.map(result),
  );
  return `  ${activity.markup.replaceAll('\n', '\n  ')}\n`;
}
