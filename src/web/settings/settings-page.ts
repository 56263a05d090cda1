/**
 * `/settings/notifications`: how a user hears of things. E-mail (an address, a language, on or off);
 * the places they follow, whose anomalies they are told of; and their private Atom feed's address,
 * made on request and shown once, since the key in it is the feed's only credential. Plain forms with
 * the session's CSRF token; no script.
 * @module
 */
import { formatDate, translator, type Translate } from '../../i18n/index.js';
import type { FieldState } from '../form-field.js';
import { field } from '../form-field.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { placeLabel } from '../places.js';
import type { Reader } from '../reader.js';

export interface SettingsView {
  settings: { email: string | null; language: 'en' | 'es'; emailNotifications: boolean };
  follows: string[];
  feedKeySince: string | null;
  /** Places to suggest (the countries and states), with their names. */
  suggestions: readonly (readonly [string, string])[];
  places?: ReadonlyMap<string, { name: string }>;
  /** Whether this server sends e-mail at all. */
  mailConfigured: boolean;
}

export interface SettingsMessage {
  kind: 'done' | 'refused';
  text: string;
  /** A feed address just made: shown once. */
  feedUrl?: string;
}

/** What was typed and each field's error, per form, after a refused post. */
export interface SettingsState {
  mail?: FieldState;
  follow?: FieldState;
}

const csrf = (reader: Reader) => html`<input type="hidden" name="_csrf" value="${reader.session!.csrf}" />`;

function mailForm(t: Translate, reader: Reader, view: SettingsView, state?: FieldState): Html {
  const s = view.settings;
  const typedOn = state ? state.typed.email_notifications === 'on' : s.emailNotifications;
  const language = state?.typed.language ?? s.language;
  return html`<form method="post" action="/settings/notifications" class="result-edit">
    ${csrf(reader)}
    ${field('email', t('web.settings.email'), s.email ?? '', state, { hint: t('web.settings.emailHint') })}
    <fieldset>
      <legend>${t('web.settings.language')}</legend>
      ${(['en', 'es'] as const).map(
        (l) => html`<label class="inline"
          ><input type="radio" name="language" value="${l}" ${language === l ? html`checked` : ''} />
          ${t(`web.settings.languageName.${l}`)}</label
        >`,
      )}
    </fieldset>
    <p>
      <label class="inline"
        ><input type="checkbox" name="email_notifications" value="on" ${typedOn ? html`checked` : ''} />
        ${t('web.settings.emailOn')}</label
      >
    </p>
    ${view.mailConfigured ? '' : html`<p class="small muted">${t('web.settings.noMailServer')}</p>`}
    <p><button type="submit">${t('web.settings.save')}</button></p>
  </form>`;
}

function followList(t: Translate, reader: Reader, view: SettingsView, state?: FieldState): Html {
  const rows = view.follows.map(
    (place) => html`<li>
      <a href="/places/${place}">${placeLabel(t, place, view.places)}</a>
      <form method="post" action="/settings/follows" class="decision">
        ${csrf(reader)}
        <input type="hidden" name="place" value="${place}" />
        <input type="hidden" name="follow" value="0" />
        <button type="submit">${t('web.settings.unfollow', { place: placeLabel(t, place, view.places) })}</button>
      </form>
    </li>`,
  );
  return html`${view.follows.length === 0 ? html`<p>${t('web.settings.noFollows')}</p>` : html`<ul class="follows">${rows}</ul>`}
    <form method="post" action="/settings/follows" class="result-edit">
      ${csrf(reader)}
      <input type="hidden" name="follow" value="1" />
      ${field('place', t('web.settings.place'), '', state, {
        required: true,
        suggestions: view.suggestions,
        hint: t('web.settings.placeHint'),
      })}
      <p><button type="submit">${t('web.settings.follow')}</button></p>
    </form>`;
}

function feedSection(t: Translate, reader: Reader, view: SettingsView, message?: SettingsMessage): Html {
  const shown = message?.feedUrl
    ? html`<div class="card" role="status">
        <p>${t('web.settings.feedMade')}</p>
        <p><code class="secret">${message.feedUrl}</code></p>
        <p class="small">${t('web.settings.feedOnce')}</p>
      </div>`
    : '';
  return html`<p>${t('web.settings.feedIntro')}</p>
    ${
      view.feedKeySince
        ? html`<p class="small muted">${t('web.settings.feedSince', { date: formatDate(reader.locale, view.feedKeySince) })}</p>`
        : ''
    }
    ${shown}
    <form method="post" action="/settings/feed-key" class="decision">
      ${csrf(reader)}
      <button type="submit">${t(view.feedKeySince ? 'web.settings.feedReplace' : 'web.settings.feedCreate')}</button>
    </form>`;
}

export function renderSettings(
  reader: Reader,
  view: SettingsView,
  message?: SettingsMessage,
  state: SettingsState = {},
): string {
  const t = translator(reader.locale);
  const title = t('web.settings.title');
  const notice =
    message && !message.feedUrl
      ? html`<p class="card ${message.kind === 'refused' ? 'warn' : ''}" role="${message.kind === 'refused' ? 'alert' : 'status'}">${message.text}</p>`
      : '';
  const body = html`<h1>${title}</h1>
    <p><a href="/inbox">${t('web.settings.toInbox')}</a></p>
    ${notice}
    <h2>${t('web.settings.mailTitle')}</h2>
    ${mailForm(t, reader, view, state.mail)}
    <h2>${t('web.settings.followTitle')}</h2>
    <p>${t('web.settings.followIntro')}</p>
    ${followList(t, reader, view, state.follow)}
    <h2>${t('web.settings.feedTitle')}</h2>
    ${feedSection(t, reader, view, message)}`;
  return page({ reader, title, section: 'inbox', body });
}
