/**
 * The IATI 2.03 export: one `iati-activity` per public program, streamed in batches of programs so that
 * memory stays flat however many programs there are. Only what the public may read is written: public
 * programs and indicators, approved public funding lines and results (the anonymous reader's
 * scorecard), and the evidence files of approved public results. Restricted and official-use records
 * never leave. `docs/funding.md` says how each record maps to IATI.
 * @module
 */
import { canSee, canSeeResult } from '../access/rules.js';
import { FUNDING_STAGES } from '../domain/funding/stages.js';
import { parsePeriod, periodContains } from '../domain/periods.js';
import type { ProgramIati } from '../domain/iati/program-iati.js';
import { buildScorecard } from '../indicators/scorecard.js';
import type { RecordsStore } from '../records/database.js';
import { listFundingLines } from '../records/funding-repository.js';
import type { StatsStore } from '../stats/stats-store.js';
import {
  activityXml,
  type IatiEvidence,
  type IatiOrg,
  type IatiProgram,
  type IatiPublisher,
} from './iati-activity.js';

/** Programs per batch: their records are read in a handful of queries, then written and let go. */
export const IATI_BATCH = 50;

/** The opening of the file, with the time it was generated. */
export function iatiHead(generated: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="${generated}">\n`;
}
export const IATI_TAIL = '</iati-activities>\n';

/** Writes the whole file through `write`, batch by batch; returns how many activities it holds. */
export async function exportIati(
  store: RecordsStore,
  stats: StatsStore | undefined,
  publisher: IatiPublisher,
  write: (chunk: string) => Promise<void> | void,
  generated: string = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
): Promise<number> {
  const [programs, organisations] = await Promise.all([
    store.db
      .selectFrom('programs')
      .select(['code', 'country', 'agency', 'classification'])
      .orderBy('code')
      .execute(),
    store.db
      .selectFrom('organisations')
      .select(['code', 'name_en', 'name_es', 'kind', 'country', 'agency', 'classification'])
      .execute(),
  ]);
  const orgs = new Map(
    organisations
      .filter((o) => canSee(null, o))
      .map((o) => [
        o.code,
        { code: o.code, name: { en: o.name_en, es: o.name_es }, kind: o.kind } as IatiOrg,
      ]),
  );
  const codes = programs.filter((p) => canSee(null, p)).map((p) => p.code);
  await write(iatiHead(generated));
  for (let i = 0; i < codes.length; i += IATI_BATCH) {
    const batch = await readBatch(store, stats, codes.slice(i, i + IATI_BATCH), orgs, publisher);
    await write(batch.map((p) => activityXml(p, publisher)).join(''));
  }
  await write(IATI_TAIL);
  return codes.length;
}

/** The public records of a batch of programs, as the activity writer takes them. */
async function readBatch(
  store: RecordsStore,
  stats: StatsStore | undefined,
  codes: readonly string[],
  orgs: ReadonlyMap<string, IatiOrg>,
  publisher: IatiPublisher,
): Promise<IatiProgram[]> {
  const db = store.db;
  const [rows, card, lines, definitions, evidence] = await Promise.all([
    db
      .selectFrom('programs')
      .selectAll()
      .where('code', 'in', ['', ...codes])
      .orderBy('code')
      .execute(),
    buildScorecard(store, { programs: codes, viewer: null, stats }),
    listFundingLines(db, { programs: codes, statuses: ['approved'] }),
    db
      .selectFrom('indicators')
      .innerJoin('programs', 'programs.id', 'indicators.program_id')
      .select(['indicators.code', 'indicators.definition_en', 'indicators.definition_es'])
      .where('programs.code', 'in', ['', ...codes])
      .execute(),
    db
      .selectFrom('result_attachments as a')
      .innerJoin('results as r', 'r.id', 'a.result_id')
      .innerJoin('indicators as i', 'i.id', 'r.indicator_id')
      .innerJoin('programs as p', 'p.id', 'i.program_id')
      .select([
        'i.code as indicator',
        'r.id as result',
        'r.period_code',
        'r.status',
        'r.country',
        'r.agency',
        'r.classification',
        'a.sha256',
        'a.filename',
        'a.media_type',
        'a.classification as file_classification',
      ])
      .where('p.code', 'in', ['', ...codes])
      .where('a.removed_at', 'is', null)
      .execute(),
  ]);
  const definition = new Map(definitions.map((d) => [d.code, { en: d.definition_en, es: d.definition_es }]));
  const base = publisher.publicUrl.replace(/\/$/, '');
  // Each indicator's public evidence files with the period of their result: a target period's actual
  // links the files of every result inside it (monthly results under a fiscal-year target).
  const files = new Map<string, { period: string; file: IatiEvidence }[]>();
  for (const e of evidence) {
    if (!canSeeResult(null, e) || e.file_classification !== 'public') continue;
    files.set(e.indicator, [
      ...(files.get(e.indicator) ?? []),
      {
        period: e.period_code,
        file: {
          url: `${base}/results/${e.result}/evidence/${e.sha256}`,
          filename: e.filename,
          mediaType: e.media_type,
        },
      },
    ]);
  }
  const within = (indicator: string, code: string): IatiEvidence[] => {
    const outer = parsePeriod(code);
    if (!outer) return [];
    return (files.get(indicator) ?? [])
      .filter((f) => {
        const inner = parsePeriod(f.period);
        return inner !== undefined && periodContains(outer, inner);
      })
      .map((f) => f.file);
  };
  const cards = new Map(card.programs.map((p) => [p.code, p]));
  const known = (list: readonly string[]) =>
    list.map((c) => orgs.get(c)).filter((o): o is IatiOrg => o !== undefined);
  return rows
    .filter((p) => canSee(null, p))
    .map((p) => {
      const indicators = cards.get(p.code)?.indicators ?? [];
      const own = lines.filter((l) => l.program === p.code && canSeeResult(null, l));
      const updated = [p.updated_at, ...own.map((l) => l.updated_at)].map((d) => new Date(d).getTime());
      return {
        code: p.code,
        title: { en: p.title_en, es: p.title_es },
        description: { en: p.description_en, es: p.description_es },
        status: p.status,
        start: p.start_date,
        end: p.end_date,
        updated: new Date(Math.max(...updated)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        funding: known(p.funding),
        extending: known([p.agency]),
        implementing: known(p.implementing),
        iati: (p.iati as ProgramIati | null) ?? null,
        lines: own
          .map((l) => ({
            fiscal_year: l.fiscal_year,
            account: l.account,
            stage: l.stage,
            amount: l.amount,
            currency: l.currency,
            provider: orgs.get(l.agency),
          }))
          .sort(
            (a, b) =>
              a.fiscal_year.localeCompare(b.fiscal_year) ||
              FUNDING_STAGES.indexOf(a.stage) - FUNDING_STAGES.indexOf(b.stage) ||
              a.account.localeCompare(b.account),
          ),
        indicators: indicators.map((i) => ({
          code: i.code,
          name: i.name,
          definition: definition.get(i.code) ?? i.name,
          level: i.level,
          unit: i.unit,
          direction: i.direction,
          baseline: i.baseline,
          periods: i.periods.map((x) => ({
            period: x.period,
            target: x.target,
            actual: x.actual,
            evidence: within(i.code, x.period),
          })),
        })),
      };
    });
}
