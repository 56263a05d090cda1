import { describe, expect, it } from 'vitest';
import type { Classification, Country } from '../domain/common-schema.js';
import { ForbiddenError, HttpError } from '../error.js';
import { PERMISSIONS, authorize, needsOfficial, type Permission } from './permissions.js';
import {
  ACTIONS,
  assertCanApprove,
  assertCanEdit,
  assertCanImport,
  assertCanLock,
  assertCanManageTokens,
  assertCanSubmit,
  can,
  canSee,
  ownerIssues,
  writeGuard,
  type Action,
} from './rules.js';
import { OPERATOR, isOperator, type Official, type Viewer } from './viewer.js';

const US: Official = { user: 'ines', country: 'US', agency: 'INL' };
const MX: Official = { user: 'mateo', country: 'MX', agency: 'SSPC' };
const CALLERS: [string, Viewer][] = [
  ['anonymous', null],
  ['US official', US],
  ['MX official', MX],
  ['operator', OPERATOR],
];

/**
 * The expected answer of every rule, written out by hand (not derived from the code): for each action
 * and record, whether the anonymous reader, a U.S. official, a Mexican official and the operator may.
 */
const MATRIX: Record<Action, Record<string, [boolean, boolean, boolean, boolean]>> = {
  see: {
    'public US': [true, true, true, true],
    'public MX': [true, true, true, true],
    'official_use US': [false, true, true, true],
    'official_use MX': [false, true, true, true],
    'restricted US': [false, true, false, true],
    'restricted MX': [false, false, true, true],
  },
  edit: {
    'public US': [false, true, false, true],
    'public MX': [false, false, true, true],
    'official_use US': [false, true, false, true],
    'official_use MX': [false, false, true, true],
    'restricted US': [false, true, false, true],
    'restricted MX': [false, false, true, true],
  },
  submit: {
    'public US': [false, true, false, true],
    'public MX': [false, false, true, true],
    'official_use US': [false, true, false, true],
    'official_use MX': [false, false, true, true],
    'restricted US': [false, true, false, true],
    'restricted MX': [false, false, true, true],
  },
  approve: {
    'public US': [false, false, true, true],
    'public MX': [false, true, false, true],
    'official_use US': [false, false, true, true],
    'official_use MX': [false, true, false, true],
    'restricted US': [false, false, true, true],
    'restricted MX': [false, true, false, true],
  },
  lock: {
    'public US': [false, true, false, true],
    'public MX': [false, false, true, true],
    'official_use US': [false, true, false, true],
    'official_use MX': [false, false, true, true],
    'restricted US': [false, true, false, true],
    'restricted MX': [false, false, true, true],
  },
  import: Object.fromEntries(
    ['public', 'official_use', 'restricted'].flatMap((c) =>
      ['US', 'MX'].map((k) => [
        `${c} ${k}`,
        [false, true, true, true] as [boolean, boolean, boolean, boolean],
      ]),
    ),
  ),
  manage_tokens: Object.fromEntries(
    ['public', 'official_use', 'restricted'].flatMap((c) =>
      ['US', 'MX'].map((k) => [
        `${c} ${k}`,
        [false, false, false, true] as [boolean, boolean, boolean, boolean],
      ]),
    ),
  ),
};

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

describe('access rules, as a matrix of caller × record × action', () => {
  const cells = ACTIONS.flatMap((action) =>
    Object.entries(MATRIX[action]).flatMap(([record, expected]) =>
      CALLERS.map(([caller, viewer], i) => ({ action, record, caller, viewer, expected: expected[i]! })),
    ),
  );

  it('covers every action, record kind and caller', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTIONS].sort());
    expect(cells).toHaveLength(ACTIONS.length * 6 * CALLERS.length);
  });

  it.each(cells)('$action $record by $caller → $expected', ({ action, record, viewer, expected }) => {
    const [classification, country] = record.split(' ') as [Classification, Country];
    expect(can(viewer, action, { classification, country })).toBe(expected);
  });
});

describe('each refusal', () => {
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenError);
      return [(error as ForbiddenError).message, (error as ForbiddenError).messageIn('es')];
    }
    throw new Error('allowed');
  };
  const result = { entity: 'result', key: '12' };

  it('says what was refused and why, in English and Spanish', () => {
    expect(refusal(() => assertCanEdit(US, { country: 'MX' }, result))).toEqual([
      'result 12 belongs to MX; only its owners may change it',
      'El resultado 12 pertenece a MX; solo sus propietarios pueden cambiarlo',
    ]);
    expect(refusal(() => assertCanSubmit(MX, { country: 'US' }, result))[0]).toBe(
      'result 12 belongs to US; only its owners may change it',
    );
    expect(refusal(() => assertCanLock(US, { country: 'MX' }, { entity: 'period', key: '2017' }))).toEqual([
      'period 2017 belongs to MX; only its owners may change it',
      'El periodo 2017 pertenece a MX; solo sus propietarios pueden cambiarlo',
    ]);
    expect(refusal(() => assertCanApprove(US, { country: 'US' }, result))).toEqual([
      'result 12: results are approved by the counterpart country: a US official cannot approve a US result',
      'El resultado 12: los resultados los aprueba el país contraparte: un funcionario de US no puede aprobar un resultado de US',
    ]);
    expect(refusal(() => assertCanEdit(null, { country: 'MX' }, result))[0]).toBe(
      'result 12: only a signed-in official may do this; send Authorization: Bearer TOKEN (create one with `marco token create`)',
    );
    expect(refusal(() => assertCanImport(null))[1]).toMatch(/^La importación : solo un funcionario/);
    expect(refusal(() => assertCanManageTokens(US))).toEqual([
      'API tokens are created by the operator of the data directory with `marco token create`, never through the API',
      'Los tokens de API los crea el operador del directorio de datos con `marco token create`, nunca a través de la API',
    ]);
  });

  it('lets through what the rules allow, without a word', () => {
    expect(() => assertCanEdit(MX, { country: 'MX' }, result)).not.toThrow();
    expect(() => assertCanApprove(MX, { country: 'US' }, result)).not.toThrow();
    expect(() => assertCanImport(US)).not.toThrow();
    expect(() => assertCanManageTokens(OPERATOR)).not.toThrow();
  });

  it('marks the operator by its agency, which no organisation code can take', () => {
    expect(OPERATOR).toEqual({ user: 'operator', country: 'MX', agency: '*' });
    expect([isOperator(OPERATOR), isOperator(US), isOperator(null)]).toEqual([true, false, false]);
  });
});

describe('the write guard of an official’s multi-record write', () => {
  const refused = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ForbiddenError);
      return error as ForbiddenError;
    }
    throw new Error('the write was allowed');
  };

  it('lets officials create and change their own country’s records', () => {
    const guard = writeGuard(US);
    expect(() => guard('program', 'P', undefined, { country: 'US', title_en: 'x' })).not.toThrow();
    expect(() => guard('result', 'R', { country: 'US' }, { value: 3, country: 'US' })).not.toThrow();
    expect(() => guard('target', 'T', { country: 'US' }, undefined)).not.toThrow();
    expect(() => guard('result', 'R', { country: 'US' }, undefined)).not.toThrow();
  });

  it('refuses the other country’s records, creating records for it, and approvals, in both languages', () => {
    const guard = writeGuard(US);
    const takeover = refused(() => guard('program', 'P', { country: 'MX' }, { title_en: 'mine' }));
    expect(takeover.message).toBe('program P belongs to MX; only its owners may change it');
    expect(takeover.messageIn('es')).toBe(
      'El programa P pertenece a MX; solo sus propietarios pueden cambiarlo',
    );
    expect(refused(() => guard('target', 'T', { country: 'MX' }, undefined)).status).toBe(403);
    const create = refused(() => guard('period', '2031', undefined, { country: 'MX' }));
    expect(create.message).toBe('period 2031 would belong to MX; a US official writes US records only');
    const approval = refused(() => guard('result', 'R', undefined, { status: 'approved', country: 'US' }));
    expect(approval.message).toContain('results are approved by the counterpart country');
    expect(approval.messageIn('es')).toContain('PATCH /api/v1/results/{id}');
  });

  it('lets a period lock move another country’s result to locked, and nothing more', () => {
    const guard = writeGuard(US);
    expect(() => guard('result', 'R', { country: 'MX' }, { status: 'locked' })).not.toThrow();
    refused(() => guard('result', 'R', { country: 'MX' }, { status: 'locked', value: 99_999 }));
    refused(() => guard('result', 'R', { country: 'MX' }, { status: 'draft' }));
  });

  it('lets the operator write anything', () => {
    const guard = writeGuard(OPERATOR);
    expect(() => guard('program', 'P', { country: 'US' }, { country: 'US' })).not.toThrow();
    expect(() => guard('result', 'R', { country: 'US' }, { status: 'approved' })).not.toThrow();
  });
});

describe('route permissions', () => {
  it('let anyone read, and ask everything else of a signed-in official', () => {
    expect(PERMISSIONS.filter((p) => !needsOfficial(p))).toEqual(['read']);
    expect(() => authorize(null, 'read')).not.toThrow();
    for (const permission of PERMISSIONS.filter(needsOfficial)) {
      const error = (() => {
        try {
          authorize(null, permission);
        } catch (e) {
          return e as HttpError;
        }
      })();
      expect(error, permission).toBeInstanceOf(HttpError);
      expect([error!.status, error!.code, error!.messageIn('es')], permission).toEqual([
        401,
        'unauthorized',
        'esta solicitud escribe o exporta registros: envíe Authorization: Bearer TOKEN (cree uno con `marco token create`)',
      ]);
    }
  });

  it('give officials every permission but token management, which only the operator has', () => {
    for (const permission of PERMISSIONS.filter((p): p is Permission => p !== 'manage:tokens')) {
      expect(() => authorize(US, permission), permission).not.toThrow();
      expect(() => authorize(MX, permission), permission).not.toThrow();
    }
    expect(() => authorize(US, 'manage:tokens')).toThrow(ForbiddenError);
    expect(() => authorize(OPERATOR, 'manage:tokens')).not.toThrow();
  });
});

describe('owners of records and tokens', () => {
  it('must be a country of the cooperation and a known agency', () => {
    const agencies = new Set(['INL', 'SSPC']);
    expect(ownerIssues({ country: 'US', agency: 'INL' }, agencies)).toEqual([]);
    expect(ownerIssues({ country: 'MX', agency: 'SSPC' }, agencies)).toEqual([]);
    expect(ownerIssues({ country: 'CA', agency: 'RCMP' }, agencies)).toEqual([
      { path: '--country', message: 'expected US or MX, got "CA"' },
      { path: '--agency', message: 'unknown organisation "RCMP"' },
    ]);
  });
});
