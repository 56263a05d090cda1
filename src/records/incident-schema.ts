/**
 * Row type of the incidents table (migration 0020), as Kysely sees it; `schema.ts` adds it to the
 * records database.
 * @module
 */
import type { Generated } from 'kysely';
import type { RecordColumns } from './record-columns.js';

export interface IncidentTable extends RecordColumns {
  id: Generated<number>;
  code: string;
  date: string;
  kind: 'violence' | 'capture' | 'extradition' | 'diplomatic' | 'policy';
  places: string[];
  title_en: string;
  title_es: string;
  summary_en: string;
  summary_es: string;
  sources: string[];
}
