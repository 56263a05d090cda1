/**
 * Who is reading a page, and in which language: what every page renderer receives. A signed-in reader
 * carries the session menu's facts and the CSRF token that the page's forms must send back.
 * @module
 */
import type { Viewer } from '../access/viewer.js';
import type { Locale } from '../i18n/index.js';

/** What the session menu shows of a signed-in user, with the token its sign-out form carries. */
export interface SessionMenu {
  user: string;
  name: string;
  country: string;
  agency: string;
  roles: readonly string[];
  csrf: string;
  /** Unread notices in the user's inbox. */
  unread?: number;
}

export interface Reader {
  locale: Locale;
  /** The request's URL (the language switch and forms keep its path and query). */
  url: URL;
  /** What the reader may see: the same rules as the API apply (`null`: anonymous, public records). */
  viewer: Viewer;
  /** Present when the reader is signed in. */
  session?: SessionMenu;
  /** A notice for the top of the page (a session that has just ended), in the reader's language. */
  notice?: string;
}

/** An anonymous reader. */
export const anonymousReader = (locale: Locale, url: URL): Reader => ({ locale, url, viewer: null });
