import { describe, expect, it } from 'vitest';
import type { Country } from '../domain/common-schema.js';
import { ForbiddenError, HttpError } from '../error.js';
import { translator } from '../i18n/index.js';
import { PERMISSIONS, authorize, needsOfficial } from './permissions.js';
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
  type Owned,
} from './rules.js';
import { ADMITS } from '../../test/fixtures/role-matrix.js';
import { OPERATOR, ROLES, isOperator, type Official, type Role, type Viewer } from './viewer.js';

const US: Official = {
  user: 'ines',
  country: 'US',
  agency: 'INL',
  roles: ['viewer', 'reporter', 'approver', 'data_steward'],
};
const MX: Official = {
  user: 'mateo',
  country: 'MX',
  agency: 'SSPC',
  roles: ['viewer', 'reporter', 'approver', 'data_steward'],
};
const official = (country: Country, role: Role): Official => ({
  user: `${country}-${role}`,
  country,
  agency: country === 'US' ? 'INL' : 'SSPC',
  roles: [role],
});
/** Anonymous, the operator, and an official of each country holding each single role. */
const CALLERS: [string, Viewer][] = [
  ['anonymous', null],
  ['operator', OPERATOR],
  ...(['US', 'MX'] as const).flatMap((country) =>
    ROLES.map((role): [string, Viewer] => [`${country} ${role}`, official(country, role)]),
  ),
];
/** Records of each classification, owned by each country's agency of the callers, or another agency. */
const RECORDS: Owned[] = (['public', 'official_use', 'restricted'] as const).flatMap((classification) =>
  [
    ['US', 'INL'],
    ['US', 'DHS'],
    ['MX', 'SSPC'],
    ['MX', 'FGR'],
  ].map(([country, agency]) => ({ classification, country: country as Country, agency })),
);

/**
 * The documented matrix (docs/security.md), written out from the role descriptions, not from the code:
 * whether `caller` may take `action` on `record`.
 */
function documented(action: Action, caller: Viewer, record: Owned): boolean {
  if (action === 'see') {
    if (record.classification === 'public') return true;
    if (caller === null) return false;
    if (caller.agency === '*' || record.classification === 'official_use') return true;
    return caller.country === record.country;
  }
  if (caller === null) return false;
  if (caller.agency === '*') return true;
  const role = caller.roles[0];
  const own = caller.country === record.country;
  switch (action) {
    case 'edit':
    case 'submit':
      return role === 'reporter' && own && caller.agency === record.agency;
    case 'approve':
      return role === 'approver' && !own;
    case 'lock':
    case 'manage_tokens':
      return role === 'admin' && own;
    case 'import':
      return role === 'data_steward';
  }
}

describe('canSee', () => {
  const mx = official('MX', 'viewer');
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
    RECORDS.flatMap((record) =>
      CALLERS.map(([caller, viewer]) => ({
        action,
        record: `${record.classification} ${record.country}/${record.agency}`,
        owned: record,
        caller,
        viewer,
        expected: documented(action, viewer, record),
      })),
    ),
  );

  it('covers every action, record kind and caller, and allows and refuses something for each action', () => {
    expect(cells).toHaveLength(ACTIONS.length * RECORDS.length * CALLERS.length);
    for (const action of ACTIONS) {
      const answers = new Set(cells.filter((c) => c.action === action).map((c) => c.expected));
      expect([...answers].sort(), action).toEqual([false, true]);
    }
  });

  it.each(cells)('$action $record by $caller → $expected', ({ action, owned, viewer, expected }) => {
    expect(can(viewer, action, owned)).toBe(expected);
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
    expect(
      refusal(() =>
        assertCanLock(official('US', 'admin'), { country: 'MX' }, { entity: 'period', key: '2017' }),
      ),
    ).toEqual([
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
      'token : this needs the admin role, which your token or account does not hold; ask an admin of your country',
      'El token de la API : esto requiere el rol admin, que su token o su cuenta no tiene; pídalo a un administrador de su país',
    ]);
    expect(refusal(() => assertCanEdit(US, { country: 'US', agency: 'DHS' }, result))).toEqual([
      'result 12 belongs to the agency DHS; a reporter of INL changes INL records only',
      'El resultado 12 pertenece a la dependencia DHS; un reportador de INL solo cambia registros de INL',
    ]);
    expect(refusal(() => assertCanEdit(official('US', 'approver'), { country: 'US' }, result))[0]).toBe(
      'result 12: this needs the reporter role, which your token or account does not hold; ask an admin of your country',
    );
  });

  it('lets through what the rules allow, without a word', () => {
    expect(() => assertCanEdit(MX, { country: 'MX' }, result)).not.toThrow();
    expect(() => assertCanApprove(MX, { country: 'US' }, result)).not.toThrow();
    expect(() => assertCanImport(US)).not.toThrow();
    expect(() => assertCanManageTokens(OPERATOR)).not.toThrow();
  });

  it('marks the operator by its agency, which no organisation code can take', () => {
    expect(OPERATOR).toEqual({ user: 'operator', country: 'MX', agency: '*', roles: ROLES });
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

  it('leaves agencies to their country’s admins, naming the organisation refused', () => {
    const refusal = refused(() => writeGuard(US)('organisation', 'DHS', { country: 'US' }, { name_en: 'x' }));
    expect(refusal.message).toBe(
      'organisation DHS: this needs the admin role, which your token or account does not hold; ask an admin of your country',
    );
    expect(() =>
      writeGuard(official('US', 'admin'))('organisation', 'DHS', { country: 'US' }, { name_en: 'x' }),
    ).not.toThrow();
    expect(() =>
      writeGuard(official('MX', 'admin'))('organisation', 'DHS', { country: 'US' }, { name_en: 'x' }),
    ).toThrow(ForbiddenError);
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

  it('grant each permission to the roles the matrix names, and nothing to an official without them', () => {
    for (const permission of PERMISSIONS)
      for (const role of ROLES) {
        const allowed = ADMITS[permission]!.includes(role);
        const check = () => authorize(official('MX', role), permission);
        if (allowed) expect(check, `${permission} ${role}`).not.toThrow();
        else expect(check, `${permission} ${role}`).toThrow(/needs one of the roles/);
        expect(() => authorize(OPERATOR, permission)).not.toThrow();
      }
  });
});

describe('owners of records and tokens', () => {
  it('must be a country of the cooperation and a known agency', () => {
    const agencies = new Map<string, Country>([
      ['INL', 'US'],
      ['SSPC', 'MX'],
    ]);
    expect(ownerIssues({ country: 'US', agency: 'INL' }, agencies)).toEqual([]);
    expect(ownerIssues({ country: 'MX', agency: 'SSPC' }, agencies)).toEqual([]);
    const text = (issues: { path: string; message: string }[]) =>
      issues.map((i) => ({ path: i.path, message: i.message }));
    expect(text(ownerIssues({ country: 'CA', agency: 'RCMP' }, agencies))).toEqual([
      { path: '--country', message: 'expected US or MX, got "CA"' },
      { path: '--agency', message: 'unknown organisation "RCMP"' },
    ]);
    // An agency belongs to one country: a Mexican token cannot be an INL one.
    const [wrong] = ownerIssues({ country: 'MX', agency: 'INL' }, agencies);
    expect(text([wrong!])).toEqual([
      { path: '--agency', message: 'INL is an organisation of US, not of MX' },
    ]);
    // In Spanish, from the catalog.
    expect(translator('es')(wrong!.text!.key, wrong!.text!.values)).toBe(
      'INL es una organización de US, no de MX',
    );
  });
});
