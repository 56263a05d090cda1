import { describe, it, expect } from 'vitest';
import { countStatuses, outcomeCoverage, rollupNodes, rollupPrograms } from './rollup.js';
import { scoreWith } from '../../test/fixtures/scores.js';

describe('countStatuses and rollupPrograms', () => {
  it('counts', () => {
    expect(countStatuses(['green', 'red', 'green', 'no_data'])).toEqual({
      green: 2,
      amber: 0,
      red: 1,
      no_data: 1,
      total: 4,
    });
    expect(countStatuses([])).toEqual({ green: 0, amber: 0, red: 0, no_data: 0, total: 0 });
  });

  it('rolls up per program', () => {
    const m = rollupPrograms([
      { code: 'P1', indicators: [scoreWith('green'), scoreWith('amber')] },
      { code: 'P2', indicators: [] },
    ]);
    expect(m.get('P1')).toEqual({ green: 1, amber: 1, red: 0, no_data: 0, total: 2 });
    expect(m.get('P2')).toEqual({ green: 0, amber: 0, red: 0, no_data: 0, total: 0 });
    expect(() =>
      rollupPrograms([
        { code: 'P1', indicators: [] },
        { code: 'P1', indicators: [] },
      ]),
    ).toThrow(/P1/);
  });
});

describe('rollupNodes', () => {
  // G1 → CA1.1 → JO1.1.1, JO1.1.2; G1 → CA1.2; G2 (no children)
  const nodes = [
    { id: 'G1', parent: null },
    { id: 'CA1.1', parent: 'G1' },
    { id: 'JO1.1.1', parent: 'CA1.1' },
    { id: 'JO1.1.2', parent: 'CA1.1' },
    { id: 'CA1.2', parent: 'G1' },
    { id: 'G2', parent: null },
  ];
  const programs = [
    // Linked at two levels of the same branch, and to two sibling leaves.
    {
      code: 'P1',
      nodes: ['CA1.1', 'JO1.1.1', 'JO1.1.2'],
      indicators: [scoreWith('green'), scoreWith('red')],
    },
    { code: 'P2', nodes: ['JO1.1.2'], indicators: [scoreWith('amber')] },
    { code: 'P3', nodes: ['CA1.2', 'UNKNOWN'], indicators: [scoreWith('no_data')] },
  ];

  it('counts each program once per node', () => {
    const m = rollupNodes(nodes, programs);
    expect(m.get('G1')).toEqual({ green: 1, amber: 1, red: 1, no_data: 1, total: 4, programs: 3 });
    expect(m.get('CA1.1')).toEqual({ green: 1, amber: 1, red: 1, no_data: 0, total: 3, programs: 2 });
    expect(m.get('JO1.1.1')).toEqual({ green: 1, amber: 0, red: 1, no_data: 0, total: 2, programs: 1 });
    expect(m.get('JO1.1.2')).toEqual({ green: 1, amber: 1, red: 1, no_data: 0, total: 3, programs: 2 });
    expect(m.get('CA1.2')).toEqual({ green: 0, amber: 0, red: 0, no_data: 1, total: 1, programs: 1 });
    expect(m.get('G2')).toEqual({ green: 0, amber: 0, red: 0, no_data: 0, total: 0, programs: 0 });
    expect(m.size).toBe(nodes.length);
    expect(m.has('UNKNOWN')).toBe(false);
  });

  it('detects cycles and names the node', () => {
    const cyclic = [
      { id: 'A', parent: 'C' },
      { id: 'B', parent: 'A' },
      { id: 'C', parent: 'B' },
    ];
    expect(() => rollupNodes(cyclic, [])).toThrow(/cycle/i);
    expect(() => rollupNodes(cyclic, [])).toThrow(/"A"/);
    expect(() => rollupNodes([{ id: 'S', parent: 'S' }], [])).toThrow(/"S"/);
  });

  it('treats a parent outside the node list as the end of the chain', () => {
    const m = rollupNodes(
      [{ id: 'X', parent: 'missing' }],
      [{ code: 'P', nodes: ['X'], indicators: [scoreWith('green')] }],
    );
    expect(m.get('X')).toMatchObject({ green: 1, total: 1, programs: 1 });
  });

  it('rejects duplicate nodes and programs', () => {
    expect(() => rollupNodes([...nodes, { id: 'G2', parent: null }], [])).toThrow(/G2/);
    expect(() => rollupNodes(nodes, [programs[0]!, programs[0]!])).toThrow(/P1/);
  });
});

describe('outcomeCoverage', () => {
  it('without dollars', () => {
    const c = outcomeCoverage([
      { code: 'P3', levels: ['output', 'activity'] },
      { code: 'P1', levels: ['output', 'outcome'] },
      { code: 'P2', levels: ['impact'] },
      { code: 'P0', levels: [] },
    ]);
    expect(c).toMatchObject({
      programs: 4,
      withOutcome: 2,
      dollars: null,
      dollarsWithOutcome: null,
      dollarShare: null,
      without: ['P0', 'P3'],
    });
    expect(c.share).toBeCloseTo(0.5, 10);
  });

  it('with dollars', () => {
    const c = outcomeCoverage([
      { code: 'P1', levels: ['outcome'], dollars: 3_000_000 },
      { code: 'P2', levels: ['output'], dollars: 1_000_000 },
      { code: 'P3', levels: ['impact'], dollars: null },
    ]);
    expect(c.dollars).toBe(4_000_000);
    expect(c.dollarsWithOutcome).toBe(3_000_000);
    expect(c.dollarShare).toBeCloseTo(0.75, 10);
    expect(c.share).toBeCloseTo(2 / 3, 10);
    expect(c.without).toEqual(['P2']);
  });

  it('zero known dollars and no programs', () => {
    const z = outcomeCoverage([{ code: 'P1', levels: ['output'], dollars: 0 }]);
    expect(z).toMatchObject({ dollars: 0, dollarsWithOutcome: 0, dollarShare: null, share: 0 });
    expect(outcomeCoverage([])).toEqual({
      programs: 0,
      withOutcome: 0,
      share: null,
      dollars: null,
      dollarsWithOutcome: null,
      dollarShare: null,
      without: [],
    });
  });
});
