/**
 * The notification settings: `GET /settings/notifications`; `POST /settings/notifications` (e-mail,
 * language, on or off); `POST /settings/follows` (follow a place, `follow=1`, or stop, `follow=0`; the
 * place is checked against the geography spine when the server has one); `POST /settings/feed-key`
 * (a new private feed address, replacing any earlier one). Each is the signed-in user's own, audited.
 * A refusal changes nothing and is shown beside its field, in the reader's language.
 * @module
 */
import { NotificationSettingsForm, FollowForm } from '../../domain/notification-input.js';
import { safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { placeChecker } from '../../domain/place-check.js';
import { ValidationError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { issueFeedKey, saveSettings, setFollowing, settingsOf } from '../../records/notification-settings.js';
import { checkedForm, doneNotice, refusal, writeOptions } from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { placeName, placeNames } from '../places.js';
import { renderSettings, type SettingsMessage, type SettingsState } from './settings-page.js';
import { z } from 'zod';

const Done = z.object({ done: z.enum(['saved', 'followed', 'unfollowed']), place: z.string().optional() });

const userIdOf = (ctx: PageContext) => ctx.session!.official.userId;

async function settingsPage(
  ctx: PageContext,
  status: 200 | 400 | 422,
  message?: SettingsMessage,
  state?: SettingsState,
) {
  const t = translator(ctx.reader.locale);
  const own = await settingsOf(ctx.store, userIdOf(ctx));
  const places = await placeNames(ctx.stats);
  // The countries and states: municipalities are typed by code (2,469 of them would weigh every page).
  const suggestions = [...(places?.values() ?? [])]
    .filter((p) => p.level === 'country' || p.level === 'state')
    .map((p) => [p.code, placeName(t, p.code, p.name)] as const);
  const shown =
    message ??
    doneNotice(ctx, Done, (tr, d) =>
      tr(`web.settings.done.${d.done}`, {
        place: d.place ? placeName(tr, d.place, places?.get(d.place)?.name) : '',
      }),
    );
  // A page that may show a feed key is never stored by a browser or a proxy.
  ctx.c.header('Cache-Control', 'no-store');
  return ctx.c.html(
    renderSettings(
      ctx.reader,
      { ...own, suggestions, ...(places ? { places } : {}), mailConfigured: ctx.mailConfigured === true },
      shown,
      state,
    ),
    status,
  );
}

const refused = (ctx: PageContext, error: ValidationError, fields: string[]) =>
  refusal(translator(ctx.reader.locale), ctx.reader.locale, error, fields);

export const SETTINGS_PAGES: readonly PageRoute[] = [
  {
    path: '/settings/notifications',
    permission: 'read:official',
    handle: (ctx) => settingsPage(ctx, 200),
  },
  {
    method: 'post',
    path: '/settings/notifications',
    permission: 'read:official',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const typed = {
        email: form.email ?? '',
        language: form.language ?? '',
        email_notifications: form.email_notifications ?? '',
      };
      const parsed = safeParseInput(NotificationSettingsForm, {
        email: typed.email,
        language: typed.language,
        ...(typed.email_notifications ? { email_notifications: typed.email_notifications } : {}),
      });
      if (!parsed.success) {
        const shown = refused(ctx, new ValidationError(zodIssues(parsed.error)), ['email', 'language']);
        return settingsPage(ctx, 422, shown.alert ? { kind: 'refused', text: shown.alert } : undefined, {
          mail: { typed, errors: shown.errors },
        });
      }
      await saveSettings(ctx.store, writeOptions(ctx), userIdOf(ctx), parsed.data);
      return ctx.c.redirect('/settings/notifications?done=saved', 303);
    },
  },
  {
    method: 'post',
    path: '/settings/follows',
    permission: 'read:official',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const typed = { place: form.place ?? '' };
      const parsed = safeParseInput(FollowForm, { place: typed.place, follow: form.follow });
      const places = await placeNames(ctx.stats);
      const issue =
        parsed.success && parsed.data.follow === '1' && places
          ? placeChecker(places)(parsed.data.place, 'place')
          : undefined;
      if (!parsed.success || issue) {
        const error = new ValidationError(issue ? [issue] : zodIssues(parsed.error!));
        const shown = refused(ctx, error, ['place']);
        return settingsPage(ctx, 422, shown.alert ? { kind: 'refused', text: shown.alert } : undefined, {
          follow: { typed, errors: shown.errors },
        });
      }
      const { place, follow } = parsed.data;
      await setFollowing(ctx.store, writeOptions(ctx), userIdOf(ctx), place, follow === '1');
      return ctx.c.redirect(
        `/settings/notifications?done=${follow === '1' ? 'followed' : 'unfollowed'}&place=${encodeURIComponent(place)}`,
        303,
      );
    },
  },
  {
    method: 'post',
    path: '/settings/feed-key',
    permission: 'read:official',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const key = await issueFeedKey(ctx.store, writeOptions(ctx), userIdOf(ctx));
      const t = translator(ctx.reader.locale);
      return settingsPage(ctx, 200, {
        kind: 'done',
        text: t('web.settings.feedMade'),
        feedUrl: `${ctx.reader.url.origin}/feeds/inbox.atom?key=${key}`,
      });
    },
  },
];
