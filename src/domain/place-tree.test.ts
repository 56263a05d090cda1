import { describe, expect, it } from 'vitest';
import { placeChildOf, placeWithin } from './place-tree.js';

describe('the place tree', () => {
  it('puts states and municipalities within Mexico, municipalities within their state', () => {
    expect(['MX', '08', '08037', '09015'].every((p) => placeWithin(p, 'MX'))).toBe(true);
    expect(placeWithin('TX', 'MX')).toBe(false);
    expect(placeWithin('08037', '08')).toBe(true);
    expect(placeWithin('09015', '08')).toBe(false);
    expect(placeWithin('08', '08')).toBe(true);
    expect(placeWithin('TX', 'US')).toBe(true);
    expect(placeWithin('MX', 'US')).toBe(false);
    expect(placeWithin('08037', '08037')).toBe(true);
    expect(placeWithin('08038', '08037')).toBe(false);
  });

  it('takes only the level below as children', () => {
    expect(placeChildOf('08', 'MX')).toBe(true);
    expect(placeChildOf('08037', 'MX')).toBe(false);
    expect(placeChildOf('MX', 'MX')).toBe(false);
    expect(placeChildOf('08037', '08')).toBe(true);
    expect(placeChildOf('CA', 'US')).toBe(true);
    expect(placeChildOf('08037', '08037')).toBe(false);
  });
});
