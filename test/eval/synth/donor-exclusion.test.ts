/**
 * Donors touched by other interventions (`donor-exclusion.ts`), on the interventions file: in a municipal
 * panel, a municipal event leaves out its municipality and a state event every municipality of its
 * state; in a state panel, a municipal event leaves out its state; only events dated inside the window
 * count, whatever the panel's periods (years, quarters, months).
 */
import { describe, expect, it } from 'vitest';
import { builtinInterventions } from '../../../src/eval/interventions.js';
import { excludedDonors } from '../../../src/eval/synth/donor-exclusion.js';
import { textIn, ValidationError } from '../../../src/error.js';
import { translator } from '../../../src/i18n/index.js';

describe('donors touched by other interventions', () => {
  it('follows each event to the units it touched inside the window', async () => {
    const events = await builtinInterventions();
    const culiacan = events.find((e) => e.type === 'leader_capture' && e.places.includes('25006'))!;
    const michoacan = events.find(
      (e) => e.type === 'military_operation' && e.level === 'state' && e.places.includes('16'),
    )!;
    const municipalities = ['25006', '25012', '16053', '16001', '08037', '09007'];
    const year = culiacan.date.slice(0, 4);
    const captures = excludedDonors(events, { level: 'municipality', from: year, to: year }, municipalities, {
      types: ['leader_capture'],
    });
    expect(captures.has('25006')).toBe(true);
    expect(captures.has('25012')).toBe(false);
    // The state operation in Michoacán touches all its municipalities, not others.
    const operations = excludedDonors(
      events,
      { level: 'municipality', from: '2006', to: '2006' },
      municipalities,
      {
        events: [michoacan.id],
      },
    );
    expect([...operations].sort()).toEqual(['16001', '16053']);
    // Outside the window, nothing; the window's bounds read quarters and months as whole periods.
    expect(
      excludedDonors(events, { level: 'municipality', from: '2000', to: '2005' }, municipalities, {
        events: [michoacan.id],
      }).size,
    ).toBe(0);
    const quarter = `${michoacan.date.slice(0, 4)}-Q${Math.floor((Number(michoacan.date.slice(5, 7)) - 1) / 3) + 1}`;
    expect(
      excludedDonors(events, { level: 'municipality', from: quarter, to: quarter }, municipalities, {
        events: [michoacan.id],
      }).size,
    ).toBe(2);
    const month = michoacan.date.slice(0, 7);
    expect(
      excludedDonors(events, { level: 'municipality', from: month, to: month }, municipalities, {
        events: [michoacan.id],
      }).size,
    ).toBe(2);
    // In a state panel, a municipal event (the Juárez operation) leaves out its state.
    expect([
      ...excludedDonors(events, { level: 'state', from: '2008', to: '2008' }, ['08', '09'], {
        events: ['op-chihuahua'],
      }),
    ]).toEqual(['08']);
  });

  it('refuses a type or id no intervention has, with its path, in English and Spanish', async () => {
    const events = await builtinInterventions();
    const error = (() => {
      try {
        excludedDonors(
          events,
          { level: 'state', from: '2001', to: '2012' },
          ['08'],
          { types: ['military_operation', 'leader_captures'] },
          'estimators.synth.exclude',
        );
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(['estimators.synth.exclude.types[1]']);
    expect(error.issues[0]!.message).toMatch(/no intervention has the type or id “leader_captures”/);
    expect(textIn(translator('es'), error.issues[0]!.text!)).toMatch(/ninguna intervención/);
  });
});
