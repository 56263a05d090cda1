/**
 * The Atom writer (RFC 4287): every feed Marco serves is built here with xmlbuilder2, which escapes
 * text and attributes and drops characters XML cannot hold, so no record's text can break a feed.
 * @module
 */
import { create } from 'xmlbuilder2';

const ATOM = 'http://www.w3.org/2005/Atom';

export interface AtomEntry {
  /** A permanent IRI: the same entry keeps it through edits. */
  id: string;
  title: string;
  /** ISO 8601 with a time zone. */
  updated: string;
  summary: string;
  /** The page the entry points to (absolute). */
  link: string;
  author?: string;
  category?: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  /** The feed's own address and the page it follows (absolute). */
  self: string;
  alternate: string;
  lang: 'en' | 'es';
  author: string;
  /** When the feed last changed; the newest entry's time, or `empty` when there is none. */
  empty: string;
  entries: readonly AtomEntry[];
  generator: { version: string };
}

/** The feed as an XML document. */
export function atomXml(feed: AtomFeed): string {
  const updated =
    feed.entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), '') || feed.empty;
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });
  const root = doc.ele(ATOM, 'feed').att('http://www.w3.org/XML/1998/namespace', 'xml:lang', feed.lang);
  root.ele(ATOM, 'id').txt(feed.id);
  root.ele(ATOM, 'title').txt(feed.title);
  if (feed.subtitle) root.ele(ATOM, 'subtitle').txt(feed.subtitle);
  root.ele(ATOM, 'updated').txt(updated);
  root.ele(ATOM, 'link').att('rel', 'self').att('type', 'application/atom+xml').att('href', feed.self);
  root.ele(ATOM, 'link').att('rel', 'alternate').att('type', 'text/html').att('href', feed.alternate);
  root.ele(ATOM, 'author').ele(ATOM, 'name').txt(feed.author);
  root.ele(ATOM, 'generator').att('version', feed.generator.version).txt('Marco');
  for (const e of feed.entries) {
    const entry = root.ele(ATOM, 'entry');
    entry.ele(ATOM, 'id').txt(e.id);
    entry.ele(ATOM, 'title').txt(e.title);
    entry.ele(ATOM, 'updated').txt(e.updated);
    if (e.author) entry.ele(ATOM, 'author').ele(ATOM, 'name').txt(e.author);
    if (e.category) entry.ele(ATOM, 'category').att('term', e.category);
    entry.ele(ATOM, 'link').att('rel', 'alternate').att('type', 'text/html').att('href', e.link);
    entry.ele(ATOM, 'summary').txt(e.summary);
  }
  return doc.end({ prettyPrint: true });
}
