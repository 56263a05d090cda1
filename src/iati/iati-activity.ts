/**
 * One program as an IATI 2.03 `iati-activity`, written through xmlbuilder2 (which escapes every text
 * and attribute) in the order the schema requires: identifier, reporting and participating
 * organisations, status and dates, Mexico as recipient, the program's DAC sectors, its flow and finance
 * types, budgets (requests, appropriations and allocations), transactions (obligations, disbursements
 * and expenditures: `domain/funding/stages.ts`), a link to its public page, and one result per
 * indicator with its baseline, targets and approved actuals (and their public evidence files). The
 * caller passes public records only.
 * @module
 */
import { fragment } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { DEFAULT_FLOW_TYPE, type ProgramIati } from '../domain/iati/program-iati.js';
import { IATI_FORM, type FundingStage } from '../domain/funding/stages.js';
import { parsePeriod } from '../domain/periods.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

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
function narratives(el: XMLBuilder, text: { en: string | null; es: string | null }): XMLBuilder {
  if (text.en) el.ele('narrative').txt(text.en);
  if (text.es) el.ele('narrative').att(XML_NS, 'xml:lang', 'es').txt(text.es);
  return el;
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

function org(parent: XMLBuilder, o: IatiOrg, role: string) {
  narratives(parent.ele('participating-org').att('role', role).att('type', ORG_TYPE[o.kind]), o.name);
}

/** Budgets, summed by fiscal year, stage and currency; transactions one per line. */
function money(a: XMLBuilder, p: IatiProgram, publisher: IatiPublisher) {
  const budgets = new Map<string, { fy: string; stage: FundingStage; currency: string; amount: number }>();
  for (const l of p.lines) {
    if (IATI_FORM[l.stage].element !== 'budget') continue;
    const key = `${l.fiscal_year}|${l.stage}|${l.currency}`;
    const b = budgets.get(key) ?? { fy: l.fiscal_year, stage: l.stage, currency: l.currency, amount: 0 };
    b.amount += l.amount;
    budgets.set(key, b);
  }
  for (const b of [...budgets.values()].sort((x, y) => x.fy.localeCompare(y.fy))) {
    const form = IATI_FORM[b.stage] as { type: string; status: string };
    const { start, end } = fiscalYearDates(b.fy);
    const budget = a.ele('budget').att('type', form.type).att('status', form.status);
    budget.ele('period-start').att('iso-date', start);
    budget.ele('period-end').att('iso-date', end);
    budget.ele('value').att('currency', b.currency).att('value-date', start).txt(decimal(b.amount));
  }
  return () => {
    for (const l of p.lines) {
      const form = IATI_FORM[l.stage];
      if (form.element !== 'transaction') continue;
      const { end } = fiscalYearDates(l.fiscal_year);
      const date = end < publisher.today ? end : publisher.today;
      const t = a.ele('transaction');
      t.ele('transaction-type').att('code', form.type);
      t.ele('transaction-date').att('iso-date', date);
      t.ele('value').att('currency', l.currency).att('value-date', date).txt(decimal(l.amount));
      t.ele('description').ele('narrative').txt(`${l.account} ${l.stage}, ${l.fiscal_year}`);
      if (l.provider)
        narratives(t.ele('provider-org').att('type', ORG_TYPE[l.provider.kind]), l.provider.name);
    }
  };
}

function result(a: XMLBuilder, i: IatiIndicator) {
  const r = a.ele('result').att('type', RESULT_TYPE[i.level]).att('aggregation-status', 'false');
  narratives(r.ele('title'), i.name);
  narratives(r.ele('description'), i.definition);
  const percent = /%|percent|porcentaje/i.test(i.unit.en);
  const ind = r
    .ele('indicator')
    .att('measure', percent ? '2' : '1')
    .att('ascending', i.direction === 'increase' ? 'true' : 'false');
  narratives(ind.ele('title'), { en: `${i.name.en} (${i.unit.en})`, es: `${i.name.es} (${i.unit.es})` });
  ind.ele('reference').att('vocabulary', '99').att('code', i.code);
  const base = i.baseline?.period ? parsePeriod(i.baseline.period) : undefined;
  if (i.baseline && base)
    ind
      .ele('baseline')
      .att('year', base.start.slice(0, 4))
      .att('iso-date', base.start)
      .att('value', decimal(i.baseline.value));
  for (const p of i.periods) {
    const period = parsePeriod(p.period);
    if (!period || (p.target === null && p.actual === null)) continue;
    const el = ind.ele('period');
    el.ele('period-start').att('iso-date', period.start);
    el.ele('period-end').att('iso-date', period.end);
    if (p.target !== null) el.ele('target').att('value', decimal(p.target));
    if (p.actual !== null) {
      const actual = el.ele('actual').att('value', decimal(p.actual));
      for (const e of p.evidence) {
        const link = actual.ele('document-link').att('url', e.url).att('format', e.mediaType);
        link.ele('title').ele('narrative').txt(e.filename);
        link.ele('category').att('code', 'A08');
      }
    }
  }
}

/** The `iati-activity` element of `p`, serialised, indented for a file of many. */
export function activityXml(p: IatiProgram, publisher: IatiPublisher): string {
  const root = fragment({ invalidCharReplacement: '' });
  const a = root
    .ele('iati-activity')
    .att('last-updated-datetime', p.updated)
    .att(XML_NS, 'xml:lang', 'en')
    .att('default-currency', 'USD')
    .att('hierarchy', '1');
  a.ele('iati-identifier').txt(`${publisher.ref}-${p.code}`);
  narratives(a.ele('reporting-org').att('ref', publisher.ref).att('type', publisher.type), publisher.name);
  narratives(a.ele('title'), p.title);
  const description = p.description.en || p.description.es ? p.description : p.title;
  narratives(a.ele('description').att('type', '1'), description);
  for (const o of p.funding) org(a, o, '1');
  for (const o of p.extending) org(a, o, '3');
  for (const o of p.implementing) org(a, o, '4');
  a.ele('activity-status').att('code', STATUS[p.status]);
  const started = p.status !== 'planned';
  const first = p.lines.map((l) => l.fiscal_year).sort()[0];
  const start = p.start ?? (first ? fiscalYearDates(first).start : null);
  if (start)
    a.ele('activity-date')
      .att('type', started && p.start ? '2' : '1')
      .att('iso-date', start);
  if (p.end)
    a.ele('activity-date')
      .att('type', p.status === 'closed' ? '4' : '3')
      .att('iso-date', p.end);
  if (!start && !p.end) a.ele('activity-date').att('type', '1').att('iso-date', publisher.today);
  a.ele('recipient-country').att('code', 'MX').att('percentage', '100');
  for (const s of p.iati?.sectors ?? [])
    a.ele('sector').att('vocabulary', '1').att('code', s.code).att('percentage', decimal(s.percentage));
  a.ele('default-flow-type').att('code', p.iati?.flow_type ?? DEFAULT_FLOW_TYPE);
  a.ele('default-finance-type').att('code', '110');
  const transactions = money(a, p, publisher);
  transactions();
  const page = a
    .ele('document-link')
    .att('url', `${publisher.publicUrl.replace(/\/$/, '')}/programs/${encodeURIComponent(p.code)}`)
    .att('format', 'text/html');
  narratives(page.ele('title'), p.title);
  page.ele('category').att('code', 'A12');
  page.ele('language').att('code', 'en');
  page.ele('language').att('code', 'es');
  for (const i of p.indicators) result(a, i);
  return root.end({ headless: true, prettyPrint: true, indent: '  ', offset: 1 });
}
