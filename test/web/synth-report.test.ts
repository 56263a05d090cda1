/**
 * An evaluation report's estimates section for a run with synthetic DiD and synthetic control: both
 * under the section's own heading (third-level headings), their plots as named SVG images, and the plots'
 * data open (a printed page cannot unfold it), in English and Spanish.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/eval/evaluate.js';
import { translator } from '../../src/i18n/index.js';
import { estimatesSection } from '../../src/web/reports/evaluation-sections.js';
import { EVENTS, POP, STATE, stateSpec, stateStatsStore } from '../eval/state-panel.js';

(STATE && POP && EVENTS ? describe : describe.skip)(
  'synthetic control and DiD in an evaluation report',
  () => {
    const stats = stateStatsStore();

    it('shows both estimators with their plots and open data tables', async () => {
      const result = await evaluate(
        stats(),
        stateSpec({
          title: 'Joint operations, report',
          estimators: {
            sdid: { cohort: '2007', placebo: 10 },
            synth: {
              cohort: '2008',
              predictors: [{ to: '2004' }, { from: '2005', to: '2007' }],
              placebos: 10,
            },
          },
        }),
        'test',
      );
      const run = { ...result, id: 1, created_at: '2026-12-05T12:00:00Z', created_by: 'ana' };
      for (const [locale, control, sdid] of [
        ['en', 'Synthetic control', 'Synthetic difference-in-differences'],
        ['es', 'Control sintético', 'Diferencias en diferencias sintéticas'],
      ] as const) {
        const body = estimatesSection({
          t: translator(locale),
          locale,
          report: { run } as never,
          heading: 'Estimates',
          id: 'estimates',
        }).text;
        expect(body).toContain(`<h3>${control}</h3>`);
        expect(body).toContain(`<h3>${sdid}</h3>`);
        expect(body).not.toMatch(/<h2>(Synthetic|Control sint|Diferencias)/);
        expect(body.match(/<svg[^>]*role="img"/g)).toHaveLength(3);
        expect(body.match(/<details open>/g)).toHaveLength(2);
        expect(body).not.toMatch(/<details>/);
      }
    });
  },
);
