/**
 * The review page keeps long lists readable: each list shows its first 100 results, its title gives the
 * full count, and a note says how to narrow it, in the reader's language.
 */
import { describe, expect, it } from 'vitest';
import type { ResultView } from '../../src/records/result-repository.js';
import { renderQueue } from '../../src/web/review/queue-page.js';
import type { Reader } from '../../src/web/reader.js';

const reader = (locale: 'en' | 'es'): Reader => ({
  locale,
  url: new URL('http://127.0.0.1/review'),
  viewer: { user: 'rita', country: 'US', agency: 'INL', roles: ['reporter'] },
  session: { user: 'rita', name: 'Rita', country: 'US', agency: 'INL', roles: ['reporter'], csrf: 'x' },
});

const draft = (id: number): ResultView => ({
  id,
  indicator: 'EX-ACA-ACCREDITED',
  indicatorName: { en: 'Accredited institutions', es: 'Instituciones acreditadas' },
  program: 'EX-CORRECTIONS',
  programTitle: { en: 'Corrections', es: 'Penitenciaría' },
  period: '2018-01',
  place: 'MX',
  disaggregation: { sex: `c${id}` },
  value: id,
  numerator: null,
  denominator: null,
  comment: null,
  evidence: null,
  status: 'draft',
  unapproved: true,
  review: null,
  country: 'US',
  agency: 'INL',
  classification: 'public',
  version: 1,
  updated_at: '2026-12-03T00:00:00.000Z',
  updated_by: 'rita',
});

describe('the review page’s lists', () => {
  it('shows the first 100 of a long list, counting them all, in either language', () => {
    const drafts = Array.from({ length: 250 }, (_, i) => draft(i + 1));
    const queues = {
      awaiting: [],
      returned: [],
      submitted: [],
      drafts,
      choices: { programs: [], periods: [] },
    };
    const en = renderQueue(reader('en'), queues, {}, undefined, new Map());
    expect(en.match(/<tr id="result-/g)).toHaveLength(100);
    expect(en).toContain('Drafts of your agency (250)');
    expect(en).toContain('Showing the first 100 of 250: narrow the list with the filters above.');
    const es = renderQueue(reader('es'), queues, {}, undefined, new Map());
    expect(es).toContain('Se muestran los primeros 100 de 250');
    const short = renderQueue(
      reader('en'),
      { ...queues, drafts: drafts.slice(0, 3) },
      {},
      undefined,
      new Map(),
    );
    expect(short.match(/<tr id="result-/g)).toHaveLength(3);
    expect(short).not.toContain('Showing the first');
  });
});
