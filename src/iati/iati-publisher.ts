/**
 * Who publishes the IATI file, from the deployment's settings, checked once: `MARCO_IATI_ORG_REF` (the
 * reporting organisation's IATI identifier, which prefixes every activity's identifier, e.g. `US-GOV-11`
 * for the State Department), `MARCO_IATI_ORG_TYPE` (IATI OrganisationType, 10 government by default),
 * `MARCO_IATI_ORG_NAME` and `MARCO_IATI_ORG_NAME_ES`, and `MARCO_PUBLIC_URL` for the links to the public
 * pages. A flag (`--iati-prefix`, `?prefix=`) overrides the identifier. Until a deployment sets its
 * own, the identifier is `XX-MARCO`, which names no registered publisher and says so.
 * @module
 */
import { ValidationError, textIssue } from '../error.js';
import type { IatiPublisher } from './iati-activity.js';

export const DEFAULT_IATI_REF = 'XX-MARCO';
/** An IATI organisation identifier: registration agency and number, letters, digits and hyphens. */
export const IATI_REF = /^[A-Za-z0-9][A-Za-z0-9-]{1,62}[A-Za-z0-9]$/;
const ORG_TYPES = [
  '10',
  '11',
  '15',
  '21',
  '22',
  '23',
  '24',
  '30',
  '40',
  '60',
  '70',
  '71',
  '72',
  '73',
  '80',
  '90',
];

/** The publisher from `env`, with `prefix` (a flag or a URL parameter) in place of the identifier. */
export function iatiPublisher(
  env: Record<string, string | undefined>,
  prefix?: string,
  now: Date = new Date(),
): IatiPublisher {
  const ref = (prefix ?? env.MARCO_IATI_ORG_REF ?? DEFAULT_IATI_REF).trim();
  const type = (env.MARCO_IATI_ORG_TYPE ?? '10').trim();
  const issues = [];
  if (!IATI_REF.test(ref))
    issues.push(
      textIssue(prefix !== undefined ? 'prefix' : 'MARCO_IATI_ORG_REF', 'iati.ref', { value: ref }),
    );
  if (!ORG_TYPES.includes(type))
    issues.push(
      textIssue('MARCO_IATI_ORG_TYPE', 'iati.orgType', { value: type, codes: ORG_TYPES.join(', ') }),
    );
  const publicUrl = (env.MARCO_PUBLIC_URL ?? 'http://127.0.0.1:8080').trim();
  if (!/^https?:\/\/[^\s"<>]+$/.test(publicUrl))
    issues.push(textIssue('MARCO_PUBLIC_URL', 'iati.publicUrl', { value: publicUrl }));
  if (issues.length > 0) throw new ValidationError(issues, 'iati');
  const en = env.MARCO_IATI_ORG_NAME?.trim() || 'Marco: U.S.–Mexico security cooperation monitoring';
  return {
    ref,
    type,
    name: { en, es: env.MARCO_IATI_ORG_NAME_ES?.trim() || en },
    publicUrl,
    today: now.toISOString().slice(0, 10),
  };
}
