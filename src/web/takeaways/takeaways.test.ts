import { describe, expect, it } from 'vitest';
import { explorerTakeaway } from './explorer-takeaway.js';
import { deathsTakeaway, rateTakeaway } from './place-takeaway.js';
import { comparison, trendFacts } from './trend.js';

describe('takeaway facts', () => {
  it('ignore partial periods, find the peak before the latest, and compare with the reference', () => {
    const facts = trendFacts(
      [
        { period: '2019', value: 10 },
        { period: '2020', value: 40 },
        { period: '2021', value: 20 },
        { period: '2022', value: 2, partial: true },
      ],
      [{ period: '2021', value: 8 }],
    )!;
    expect(facts.latest).toEqual({ period: '2021', value: 20 });
    expect(facts.peak).toEqual({ period: '2020', value: 40 });
    expect(facts.ratio).toBe(2.5);
    expect(facts.first).toBe('2019');
  });

  it('say "its highest since" when the latest period is the peak, and nothing without a value', () => {
    expect(
      trendFacts([
        { period: '2020', value: 1 },
        { period: '2021', value: 3 },
      ])!.peak,
    ).toBeNull();
    expect(trendFacts([{ period: '2021', value: null }])).toBeUndefined();
    expect(
      rateTakeaway('en', {
        place: 'Colima',
        points: [
          { period: '2020', value: 1 },
          { period: '2021', value: 3 },
        ],
      }),
    ).toBe('Colima’s homicide rate in 2021 was 3 per 100,000, its highest since 2020.');
  });

  it('read a ratio as times, above, close to or below the reference', () => {
    expect(comparison(3.71)).toEqual({ kind: 'times', share: 3.71 });
    expect(comparison(1.2).kind).toBe('above');
    expect(comparison(1.01).kind).toBe('near');
    expect(comparison(0.5)).toEqual({ kind: 'below', share: 0.5 });
    expect(
      rateTakeaway('es', {
        place: 'Yucatán',
        points: [
          { period: '2020', value: 4 },
          { period: '2021', value: 2 },
        ],
        national: [{ period: '2021', value: 26 }],
      }),
    ).toBe(
      'En 2021, la tasa de homicidios de Yucatán fue de 2 por cada 100 000 habitantes, un 50% por debajo de su máximo de 2020 y un 92% por debajo de la tasa nacional.',
    );
  });

  it('give a state’s share of the country’s synthetic-opioid deaths by month', () => {
    expect(
      deathsTakeaway('en', {
        place: 'Ohio',
        points: [
          { period: '2022-12', value: 5000 },
          { period: '2023-12', value: 4000 },
        ],
        national: [{ period: '2023-12', value: 80_000 }],
      }),
    ).toBe(
      'Ohio recorded 4,000 synthetic-opioid deaths in the 12 months ending December 2023, 20% below its December 2022 peak: 5% of the U.S. total.',
    );
  });

  it('name the highest and lowest place of the latest period several places share', () => {
    expect(
      explorerTakeaway('en', [
        {
          name: 'A',
          points: [
            { period: '2020', value: 5 },
            { period: '2021', value: 7 },
          ],
        },
        {
          name: 'B',
          points: [
            { period: '2020', value: 9 },
            { period: '2021', value: 1 },
          ],
        },
        {
          name: 'C',
          points: [
            { period: '2020', value: 3 },
            { period: '2021', value: null },
          ],
        },
      ]),
    ).toBe('In 2021, A had the highest value of the 2 places shown (7), and B the lowest (1).');
    expect(
      explorerTakeaway('en', [
        {
          name: 'A',
          points: [
            { period: '2019', value: 4 },
            { period: '2021', value: 5 },
          ],
        },
      ]),
    ).toBe('A: 5 in 2021, +25% against 2019 (4).');
  });
});
