import { describe, expect, it } from 'vitest';
import { OPERATOR, canSee } from './visibility.js';

describe('canSee', () => {
  const mx = { user: 'ana', country: 'MX' as const, agency: 'SSPC' };
  it('shows public records to everyone', () => {
    expect(canSee(null, { classification: 'public', country: 'US' })).toBe(true);
  });
  it('hides official-use records from the public only', () => {
    expect(canSee(null, { classification: 'official_use', country: 'MX' })).toBe(false);
    expect(canSee(mx, { classification: 'official_use', country: 'US' })).toBe(true);
  });
  it('shows restricted records only to the owning country', () => {
    expect(canSee(mx, { classification: 'restricted', country: 'MX' })).toBe(true);
    expect(canSee(mx, { classification: 'restricted', country: 'US' })).toBe(false);
    expect(canSee(null, { classification: 'restricted', country: 'MX' })).toBe(false);
    expect(canSee(OPERATOR, { classification: 'restricted', country: 'US' })).toBe(true);
  });
});
