/**
 * A criminal-group network drawn as SVG on the server, at the positions of its deterministic layout:
 * alliances as solid blue lines, rivalries as dashed red ones (the dash tells them apart without
 * colour), each line as thick as its weight; each group a circle sized by its ties and linked to its
 * page, with its name as the circle's title; the groups most between others named on the drawing. The
 * same network gives the same markup, byte for byte.
 * @module
 */
import type { NetworkAnalysis } from '../../networks/network-analysis.js';
import type { NetworkLayout } from '../../networks/network-layout.js';
import { html, type Html } from '../html.js';

const WIDTH = 760;
const HEIGHT = 620;
const MARGIN = 40;

/** How many of the groups most between others are named on the drawing. */
const NAMED = 12;

const at = (v: number, size: number) => (MARGIN + v * (size - 2 * MARGIN)).toFixed(1);

export interface NetworkSvgText {
  /** The drawing's accessible name (what it shows, in a sentence). */
  label: string;
  /** A group's circle title: its name, its state and its ties. */
  groupTitle(g: NetworkAnalysis['groups'][number]): string;
  /** The legend's words. */
  alliance: string;
  rivalry: string;
}

export function networkSvg(analysis: NetworkAnalysis, layout: NetworkLayout, text: NetworkSvgText): Html {
  const place = (node: string) => layout.positions.get(node);
  const line = (kind: 'alliance' | 'rivalry') =>
    analysis.ties[kind].map((t) => {
      const a = place(t.a);
      const b = place(t.b);
      if (!a || !b) return '';
      return html`<line
        x1="${at(a.x, WIDTH)}"
        y1="${at(a.y, HEIGHT)}"
        x2="${at(b.x, WIDTH)}"
        y2="${at(b.y, HEIGHT)}"
        class="tie ${kind}"
        stroke-width="${Math.min(6, 0.6 + 0.5 * t.weight).toFixed(1)}"
      />`;
    });
  const named = new Set(
    [...analysis.groups]
      .filter((g) => g.betweenness.all > 0)
      .sort((x, y) => y.betweenness.all - x.betweenness.all || x.node.localeCompare(y.node))
      .slice(0, NAMED)
      .map((g) => g.node),
  );
  const groups = analysis.groups.map((g) => {
    const p = place(g.node);
    if (!p) return '';
    const r = Math.min(14, 3 + Math.sqrt(g.degree.all) * 1.6).toFixed(1);
    const cx = at(p.x, WIDTH);
    const cy = at(p.y, HEIGHT);
    const title = text.groupTitle(g);
    return html`<a href="/networks/groups/${g.node}" aria-label="${title}"
      ><circle cx="${cx}" cy="${cy}" r="${r}" class="group"><title>${title}</title></circle></a
    >`;
  });
  // Names over every circle and line, so that none hides behind a neighbour.
  const names = analysis.groups.map((g) => {
    const p = place(g.node);
    if (!p || !named.has(g.node)) return '';
    const r = Math.min(14, 3 + Math.sqrt(g.degree.all) * 1.6);
    return html`<text x="${at(p.x, WIDTH)}" y="${(Number(at(p.y, HEIGHT)) - r - 3).toFixed(1)}" class="group-name"
      >${g.shortName ?? g.name}</text
    >`;
  });
  return html`<svg
      role="group"
      aria-label="${text.label}"
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      width="${WIDTH}"
      height="${HEIGHT}"
      xmlns="http://www.w3.org/2000/svg"
      class="network"
    >
      <g aria-hidden="true">${line('alliance')}${line('rivalry')}</g>
      ${groups}
      <g aria-hidden="true">${names}</g>
    </svg>
    <div class="legend">
      <span><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" class="tie alliance" stroke-width="2" /></svg> ${text.alliance}</span>
      <span><svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" class="tie rivalry" stroke-width="2" /></svg> ${text.rivalry}</span>
    </div>`;
}
