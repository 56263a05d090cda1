/**
 * Charts carry their label as text: a label holding markup (an evaluation title, a place name from an
 * uploaded catalogue) stays inside its attribute, and parsing the chart gives one image and no script.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { eventStudyChart, legendDigits, lineChart } from './charts.js';

const HOSTILE = 'Chihuahua"><svg onload="alert(1)"></svg><script>alert(2)</script> & <g aria-label="x">';

function parsed(markup: string) {
  const { document } = parseHTML(`<!doctype html><html><body>${markup}</body></html>`);
  return document;
}

describe('charts', () => {
  for (const [name, render] of [
    [
      'a line chart',
      () =>
        lineChart(
          [
            {
              name: HOSTILE,
              points: [
                { start: '2020-01-01', value: 1 },
                { start: '2021-01-01', value: 2 },
              ],
            },
          ],
          {
            label: HOSTILE,
            yLabel: HOSTILE,
            locale: 'en',
          },
        ),
    ],
    [
      'an event-study chart',
      () =>
        eventStudyChart([{ name: HOSTILE, points: [{ event: 0, estimate: 1, lower: 0, upper: 2 }] }], {
          label: HOSTILE,
          xLabel: 'x',
          yLabel: 'y',
          locale: 'es',
        }),
    ],
  ] as const)
    it(`keeps a hostile label as text in ${name}: one image named by it, no script, no handler`, () => {
      const markup = String(render());
      const document = parsed(markup);
      const images = [...document.querySelectorAll('[role="img"]')];
      expect(images).toHaveLength(1);
      expect(images[0]!.getAttribute('aria-label')).toBe(HOSTILE);
      expect(document.querySelectorAll('script')).toHaveLength(0);
      for (const element of document.querySelectorAll('*'))
        for (const attribute of element.attributes) expect(attribute.name).not.toMatch(/^on/i);
      // Inner groups carry no name of their own; every other svg is decoration.
      expect(document.querySelectorAll('g[aria-label], g[aria-description]')).toHaveLength(0);
      for (const svg of document.querySelectorAll('svg'))
        expect(svg.getAttribute('role') === 'img' || svg.getAttribute('aria-hidden') === 'true').toBe(true);
    });
});

describe('map legends', () => {
  it('print as many digits as tell each class edge from the next, so no class reads "0.2 – 0.2"', () => {
    expect(legendDigits([12.5, 30.1, 55.2])).toBe(1);
    expect(legendDigits([0.21, 0.24, 0.4])).toBe(2);
    expect(legendDigits([0.2101, 0.2104])).toBe(4);
    expect(legendDigits([])).toBe(1);
  });
});

describe('year axes', () => {
  const ticks = (markup: string) =>
    [...parsed(markup).querySelectorAll('g[aria-hidden] text, text')]
      .map((t) => t.textContent ?? '')
      .filter((t) => /^(FY)?\d{4}$|[A-Za-z]{3}/.test(t));
  const yearly = (starts: string[]) => [
    { name: 'x', points: starts.map((start, i) => ({ start, value: i + 1 })) },
  ];

  it('label yearly values by whole years, never by the months between them', () => {
    const labels = ticks(
      String(
        lineChart(yearly(['2018-01-01', '2019-01-01', '2020-01-01', '2021-01-01']), {
          label: 'l',
          yLabel: 'y',
          locale: 'en',
          by: 'year',
        }),
      ),
    );
    expect(labels).toEqual(['2018', '2019', '2020', '2021']);
  });

  it('name fiscal years after the year they end in, and thin the ticks of a long span', () => {
    const fiscal = ticks(
      String(
        lineChart(yearly(['2018-10-01', '2019-10-01', '2020-10-01']), {
          label: 'l',
          yLabel: 'y',
          locale: 'es',
          by: 'fiscal_year',
        }),
      ),
    );
    expect(fiscal).toEqual(['FY2019', 'FY2020', 'FY2021']);
    const long = ticks(
      String(
        lineChart(yearly(Array.from({ length: 23 }, (_, i) => `${2000 + i}-01-01`)), {
          label: 'l',
          yLabel: 'y',
          locale: 'en',
          by: 'year',
        }),
      ),
    );
    expect(long).toEqual(['2000', '2005', '2010', '2015', '2020']);
  });
});
