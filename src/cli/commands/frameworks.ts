/**
 * `marco framework list|show|load`.
 * @module
 */
import type { Config } from '../../config.js';
import { translator } from '../../i18n/index.js';
import {
  listCrosswalk,
  listFrameworks,
  listNodes,
  loadFrameworkDocument,
} from '../../records/framework-repository.js';
import { json, withRecords } from './open-stores.js';
import { readDocument, summaryLines } from './records.js';

export async function runFrameworkList(
  config: Config,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const lang = config.locale;
  await withRecords(config, async (store) => {
    const frameworks = await listFrameworks(store);
    if (opts.json) return out(json(frameworks));
    for (const f of frameworks) {
      out(
        `${f.code}  ${f.title[lang]}\n  ${t('home.edition', { edition: f.edition })} · ${t('home.nodes', { count: f.nodes })}`,
      );
    }
  });
}

export async function runFrameworkShow(
  config: Config,
  code: string,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const lang = config.locale;
  const t = translator(lang);
  await withRecords(config, async (store) => {
    const nodes = await listNodes(store, code);
    const links = (await listCrosswalk(store)).filter(
      (l) => l.from.startsWith(`${code}:`) || l.to.startsWith(`${code}:`),
    );
    if (opts.json) return out(json({ nodes, crosswalk: links }));
    const depth = new Map<string, number>();
    for (const n of nodes) {
      const d = n.parent === null ? 0 : (depth.get(n.parent) ?? 0) + 1;
      depth.set(n.ref, d);
      const related = links
        .filter((l) => l.from === n.ref || l.to === n.ref)
        .map((l) =>
          t('cli.linkLine', {
            relation: t(`relation.${l.relation}`),
            node: l.from === n.ref ? l.to : l.from,
            basis: t(`basis.${l.basis}`),
          }),
        );
      const line = t('cli.nodeLine', { code: n.code, level: n.level, title: n.title[lang] });
      out(`${'  '.repeat(d)}${line}${related.length ? `  ↔ ${related.join('; ')}` : ''}`);
    }
  });
}

export async function runFrameworkLoad(
  config: Config,
  file: string,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  const doc = await readDocument(file);
  await withRecords(config, async (store) => {
    const summary = await loadFrameworkDocument(store, doc.data, {
      actor: config.actor,
      source: file,
      locate: doc.locate,
    });
    out(opts.json ? json({ file, summary }) : `${t('cli.loaded', { file })}\n${summaryLines(t, summary)}`);
  });
}
