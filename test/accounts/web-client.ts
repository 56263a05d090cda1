/**
 * A small cookie-keeping client for the web pages in process (`app.request`): it sends back the cookies
 * the server set (honouring their paths and deletions), posts forms from Marco's own origin, and reads
 * the hidden `_csrf` field of a page.
 */
import type { Hono } from 'hono';

export const ORIGIN = 'http://localhost';

export interface WebResponse {
  status: number;
  headers: Headers;
  text: string;
}

export class WebClient {
  /** name → {value, path} */
  readonly cookies = new Map<string, { value: string; path: string }>();
  constructor(private readonly app: Hono) {}

  private cookieHeader(path: string): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const gone = attributes.some((a) => /^max-age=0$/i.test(a)) || value === '';
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    const res = await this.app.request(`${ORIGIN}${path}`, {
      headers: { cookie: this.cookieHeader(new URL(path, ORIGIN).pathname), ...headers },
    });
    this.keep(res.headers);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  async post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<WebResponse> {
    const res = await this.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: ORIGIN,
        cookie: this.cookieHeader(new URL(path, ORIGIN).pathname),
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
    this.keep(res.headers);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** Opens the sign-in page and signs in; returns the final answer of the form post. */
  async signIn(user: string, password: string, next = '/'): Promise<WebResponse> {
    const form = await this.get(`/login?next=${encodeURIComponent(next)}`);
    return this.post('/login', { _csrf: csrfOf(form.text), user, password, next });
  }
}

/** The `_csrf` hidden field of a page's first form. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('the page has no form with a _csrf field');
  return match[1]!;
}
