/**
 * The users' administration page: `GET /admin/users`, `POST /admin/users` (create, with a first
 * password), `POST /admin/users/{id}/password` and `POST /admin/users/{id}/disable`, through the same
 * service as `/api/v1/users` (`accounts/user-admin.ts`). A refusal changes nothing and is shown beside
 * its field or on its user's row, in the reader's language, with the API's status.
 * @module
 */
import type { Official } from '../../access/viewer.js';
import { disableAs, openAccount, resetPassword, usersOf } from '../../accounts/user-admin.js';
import { MarcoError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import {
  checkedForm,
  doneNotice,
  pageStatus,
  refusal,
  writeOptions,
  type RefusedStatus,
  RECORD_ID,
} from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { z } from 'zod';
import { readHolderForm } from './holder-fields.js';
import { renderUsers, type UsersMessage, type UsersState } from './users-page.js';

const FIELDS = {
  user: 'user',
  name: 'name',
  country: 'country',
  agency: 'agency',
  roles: 'roles',
  password: 'password',
};
const HINT = 'notFound.hint.usersPage';
const Done = z.object({
  done: z.enum(['created', 'password', 'disabled']),
  user: z.string().regex(/^[A-Za-z0-9.@_-]{1,64}$/),
});

async function usersPage(
  ctx: PageContext,
  status: 200 | RefusedStatus,
  message?: UsersMessage,
  typed?: UsersState,
) {
  const shown =
    message ?? doneNotice(ctx, Done, (t, d) => t(`web.admin.users.done.${d.done}`, { user: d.user }));
  return ctx.c.html(
    renderUsers(ctx.reader, await usersOf(ctx.store, ctx.reader.viewer as Official), shown, typed),
    status,
  );
}

/** A post about user `:id`: its form and id, or the response that refuses it. */
async function userPost(ctx: PageContext): Promise<{ form: Record<string, string>; id: number } | Response> {
  const form = await checkedForm(ctx);
  if (form instanceof Response) return form;
  const id = ctx.c.req.param('id') ?? '';
  if (!RECORD_ID.test(id)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
  return { form, id: Number(id) };
}

/** Runs `act` on a user's row, redirecting with `done`, or showing its refusal on the row. */
async function onUser(ctx: PageContext, id: number, done: string, act: () => Promise<{ user: string }>) {
  try {
    const user = await act();
    return ctx.c.redirect(`/admin/users?done=${done}&user=${encodeURIComponent(user.user)}`, 303);
  } catch (error) {
    if (!(error instanceof MarcoError)) throw error;
    const text = error.messageIn(ctx.reader.locale);
    // A missing user has no row to show the refusal on: it goes on top.
    return usersPage(
      ctx,
      pageStatus(error),
      error.status === 404 ? { kind: 'refused', text } : { kind: 'refused', text, id },
    );
  }
}

export const USER_PAGES: readonly PageRoute[] = [
  { path: '/admin/users', permission: 'manage:users', handle: (ctx) => usersPage(ctx, 200) },
  {
    method: 'post',
    path: '/admin/users',
    permission: 'manage:users',
    async handle(ctx) {
      const t = translator(ctx.reader.locale);
      const posted = await readHolderForm(ctx);
      if (posted instanceof Response) return posted;
      const { form, roles, admin } = posted;
      try {
        const made = await openAccount(
          ctx.store,
          admin,
          {
            user: (form.user ?? '').trim(),
            name: (form.name ?? '').trim(),
            country: admin.country,
            agency: (form.agency ?? '').trim(),
            roles,
          },
          form.password ?? '',
          writeOptions(ctx),
          FIELDS,
        );
        return ctx.c.redirect(`/admin/users?done=created&user=${encodeURIComponent(made.user)}`, 303);
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        const shown = refusal(t, ctx.reader.locale, error, Object.values(FIELDS));
        // The password typed is never sent back.
        const { password: _p, ...typed } = form;
        return usersPage(
          ctx,
          pageStatus(error),
          shown.alert ? { kind: 'refused', text: shown.alert } : undefined,
          {
            typed,
            errors: shown.errors,
            roles,
          },
        );
      }
    },
  },
  {
    method: 'post',
    path: '/admin/users/:id/password',
    permission: 'manage:users',
    async handle(ctx) {
      const posted = await userPost(ctx);
      if (posted instanceof Response) return posted;
      return onUser(ctx, posted.id, 'password', () =>
        resetPassword(
          ctx.store,
          ctx.reader.viewer as Official,
          posted.id,
          posted.form.password ?? '',
          writeOptions(ctx),
          'password',
          HINT,
        ),
      );
    },
  },
  {
    method: 'post',
    path: '/admin/users/:id/disable',
    permission: 'manage:users',
    async handle(ctx) {
      const posted = await userPost(ctx);
      if (posted instanceof Response) return posted;
      return onUser(ctx, posted.id, 'disabled', () =>
        disableAs(ctx.store, ctx.reader.viewer as Official, posted.id, writeOptions(ctx), HINT),
      );
    },
  },
];
