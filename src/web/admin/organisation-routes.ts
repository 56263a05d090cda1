/**
 * `GET /admin/organisations[?edit=CODE]` and `POST /admin/organisations`: admins curate their country's
 * organisations through the same service as `POST /api/v1/organisations`. A refusal (a field, a code of
 * the other country, a stale version) changes nothing and is shown beside its field.
 * @module
 */
import { z } from 'zod';
import { organisationsFor, saveOrganisationAs } from '../../accounts/organisation-admin.js';
import type { Official } from '../../access/viewer.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { OrganisationBody } from '../../domain/organisation-input.js';
import { MarcoError, ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { checkedForm, doneNotice, pageStatus, refusal, writeOptions, type RefusedStatus } from '../forms.js';
import type { FieldState } from '../form-field.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { renderOrganisations, type OrganisationsMessage } from './organisations-page.js';

const FIELDS = ['code', 'name_en', 'name_es', 'kind', 'parent'];
const Done = z.object({ done: z.literal('saved'), code: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) });

/** A path of the body or of the workspace write, as the form's field name. */
const fieldOf = (path: string) =>
  path
    .replace(/^organisations\[\d+\]\./, '')
    .replace(/^name\.(en|es)$/, 'name_$1')
    .replace(/^parent_code$/, 'parent');

async function organisationsPage(
  ctx: PageContext,
  status: 200 | RefusedStatus,
  message?: OrganisationsMessage,
  typed?: FieldState,
  editCode?: string,
) {
  const admin = ctx.reader.viewer as Official;
  const all = await organisationsFor(ctx.store, admin);
  const own = admin.agency === '*' ? all : all.filter((o) => o.country === admin.country);
  const code = editCode ?? ctx.c.req.query('edit');
  const editing = code ? own.find((o) => o.code === code) : undefined;
  const shown =
    message ?? doneNotice(ctx, Done, (t, d) => t('web.admin.organisations.done', { code: d.code }));
  return ctx.c.html(renderOrganisations(ctx.reader, own, editing, shown, typed), status);
}

export const ORGANISATION_PAGES: readonly PageRoute[] = [
  {
    path: '/admin/organisations',
    permission: 'manage:organisations',
    handle: (ctx) => organisationsPage(ctx, 200),
  },
  {
    method: 'post',
    path: '/admin/organisations',
    permission: 'manage:organisations',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const t = translator(ctx.reader.locale);
      const admin = ctx.reader.viewer as Official;
      const typed = Object.fromEntries(FIELDS.map((f) => [f, form[f] ?? '']));
      const editCode = form.version ? form.code : undefined;
      const refuse = (error: MarcoError) => {
        const shown = refusal(t, ctx.reader.locale, error, FIELDS);
        const errors = Object.fromEntries(Object.entries(shown.errors).map(([k, v]) => [fieldOf(k), v]));
        const placed = Object.keys(errors).every((k) => FIELDS.includes(k));
        return organisationsPage(
          ctx,
          pageStatus(error),
          shown.alert || !placed
            ? { kind: 'refused', text: shown.alert ?? error.messageIn(ctx.reader.locale) }
            : undefined,
          { typed, errors },
          editCode,
        );
      };
      const parsed = safeParseInput(OrganisationBody, {
        code: (form.code ?? '').trim(),
        name: { en: (form.name_en ?? '').trim(), es: (form.name_es ?? '').trim() },
        kind: form.kind,
        ...(form.parent ? { parent: form.parent } : {}),
        country: admin.agency === '*' ? 'MX' : admin.country,
        ...(form.version && /^\d{1,9}$/.test(form.version) ? { version: Number(form.version) } : {}),
      });
      if (!parsed.success) return refuse(new ValidationError(zodIssues(parsed.error)));
      try {
        await saveOrganisationAs(ctx.store, admin, parsed.data, writeOptions(ctx), 'form');
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return refuse(error);
      }
      return ctx.c.redirect(
        `/admin/organisations?done=saved&code=${encodeURIComponent(parsed.data.code)}`,
        303,
      );
    },
  },
];
