/**
 * What a framework report reads of each program beyond its scorecard: its narrative (description),
 * classification, risks, lessons and monitoring-practice assessments, for the programs `codes`. Every row
 * carries its owner and classification: the report keeps what its requester may see.
 * @module
 */
import type { RecordsStore } from './database.js';

export async function programNarratives(store: RecordsStore, codes: readonly string[]) {
  const db = store.db;
  const among = ['', ...codes];
  const [programs, risks, lessons, practices] = await Promise.all([
    db
      .selectFrom('programs')
      .select([
        'id',
        'code',
        'description_en',
        'description_es',
        'status',
        'start_date',
        'end_date',
        'country',
        'agency',
        'classification',
      ])
      .where('code', 'in', among)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('risks')
      .innerJoin('programs', 'programs.id', 'risks.program_id')
      .select([
        'programs.code as program',
        'risks.code',
        'risks.description_en',
        'risks.description_es',
        'risks.likelihood',
        'risks.impact',
        'risks.mitigation',
        'risks.owner',
        'risks.status',
        'risks.country',
        'risks.agency',
        'risks.classification',
      ])
      .where('programs.code', 'in', among)
      .orderBy('programs.code')
      .orderBy('risks.code')
      .execute(),
    db
      .selectFrom('lessons')
      .innerJoin('programs', 'programs.id', 'lessons.program_id')
      .select([
        'programs.code as program',
        'lessons.code',
        'lessons.recorded_on',
        'lessons.category',
        'lessons.lesson_en',
        'lessons.lesson_es',
        'lessons.action',
        'lessons.country',
        'lessons.agency',
        'lessons.classification',
      ])
      .where('programs.code', 'in', among)
      .orderBy('programs.code')
      .orderBy('lessons.code')
      .execute(),
    db
      .selectFrom('practices')
      .innerJoin('programs', 'programs.id', 'practices.program_id')
      .select([
        'programs.code as program',
        'practices.practice',
        'practices.state',
        'practices.note',
        'practices.country',
        'practices.agency',
        'practices.classification',
      ])
      .where('programs.code', 'in', among)
      .orderBy('programs.code')
      .orderBy('practices.practice')
      .execute(),
  ]);
  return { programs, risks, lessons, practices };
}

/**
 * The distinct owners and classifications of the indicators, targets and results of the programs
 * `codes` (a status for results), for the banner of a report that shows them: the caller keeps those its
 * requester may see.
 */
export async function classificationsBeneath(store: RecordsStore, codes: readonly string[]) {
  const db = store.db;
  const among = ['', ...codes];
  const [indicators, targets, results] = await Promise.all([
    db
      .selectFrom('indicators')
      .innerJoin('programs', 'programs.id', 'indicators.program_id')
      .select(['indicators.country', 'indicators.agency', 'indicators.classification'])
      .where('programs.code', 'in', among)
      .distinct()
      .execute(),
    db
      .selectFrom('targets')
      .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
      .innerJoin('programs', 'programs.id', 'indicators.program_id')
      .select(['targets.country', 'targets.agency', 'targets.classification'])
      .where('programs.code', 'in', among)
      .distinct()
      .execute(),
    db
      .selectFrom('results')
      .innerJoin('indicators', 'indicators.id', 'results.indicator_id')
      .innerJoin('programs', 'programs.id', 'indicators.program_id')
      .select(['results.country', 'results.agency', 'results.classification', 'results.status'])
      .where('programs.code', 'in', among)
      .distinct()
      .execute(),
  ]);
  return { records: [...indicators, ...targets], results };
}
