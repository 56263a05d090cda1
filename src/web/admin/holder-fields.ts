/**
 * The fields a user and a token share on the administration forms: the agency (an organisation of the
 * admin's country) and the roles, as check boxes, each with its error beside it after a refusal; and
 * reading them back from a post.
 * @module
 */
import { ROLES, type Official, type Role } from '../../access/viewer.js';
import { checkedRepeatedForm } from '../forms.js';
import type { PageContext } from '../page-route.js';
import type { Translate } from '../../i18n/index.js';
import { field, type FieldState } from '../form-field.js';
import { html, type Html } from '../html.js';
import type { Reader } from '../reader.js';

/** What was typed, each field's error, and the roles ticked, after a refused post. */
export interface HolderState extends FieldState {
  roles: string[];
}

export function holderFields(t: Translate, reader: Reader, typed?: HolderState): Html {
  const chosen = typed?.roles ?? ['viewer'];
  const error = typed?.errors.roles;
  return html`${field('agency', t('web.admin.tokens.agency'), reader.session?.agency ?? '', typed, {
    required: true,
    hint: t('web.admin.tokens.agencyHint', { country: t(`web.session.country.${reader.session!.country}`) }),
  })}
    <fieldset ${error ? html`aria-describedby="roles-error"` : ''}>
      <legend>${t('web.admin.tokens.roles')}</legend>
      ${ROLES.map(
        (r) =>
          html`<label class="inline"
            ><input type="checkbox" name="roles" value="${r}" ${chosen.includes(r) ? html`checked` : ''} />
            ${t(`web.session.role.${r}`)}</label
          >`,
      )}
      ${error ? html`<span class="small warn" id="roles-error">${error}</span>` : ''}
    </fieldset>`;
}

/** A holder's agency, country and roles, as a list's row shows them under the name. */
export function holderLine(
  t: Translate,
  h: { agency: string; country: string; roles: readonly string[] },
): string {
  return `${h.agency} (${t(`web.session.country.${h.country}`)}) · ${h.roles.map((r) => t(`web.session.role.${r}`)).join(', ')}`;
}

/** A posted user or token form: its fields, the roles ticked and the admin posting it, or the refusal. */
export async function readHolderForm(
  ctx: PageContext,
): Promise<{ form: Record<string, string>; roles: Role[]; admin: Official } | Response> {
  const posted = await checkedRepeatedForm(ctx);
  if (posted instanceof Response) return posted;
  const roles = (posted.all.roles ?? []).filter((r): r is Role => typeof r === 'string');
  return { form: posted.form, roles, admin: ctx.reader.viewer as Official };
}
