/**
 * A tile map of the United States: each state (and D.C. and Puerto Rico) one square, placed roughly
 * where it lies, coloured by its value in five quantile classes with a legend, and its USPS code printed
 * on it. Marco ships no U.S. boundaries, and a tile map gives every state the same weight: Rhode Island is
 * as visible as Texas. Server-rendered SVG, with a title per tile and the table beside it for exact
 * figures.
 * @module
 */
import { formatNumber, type Locale } from '../../i18n/index.js';
import { classBreaks, SEQUENTIAL } from '../charts.js';
import { html, type Html } from '../html.js';

/** Column and row of each tile, a common layout of U.S. tile maps (12 × 8). */
const TILES: Readonly<Record<string, readonly [number, number]>> = {
  AK: [0, 0],
  ME: [11, 0],
  VT: [10, 1],
  NH: [11, 1],
  WA: [1, 2],
  ID: [2, 2],
  MT: [3, 2],
  ND: [4, 2],
  MN: [5, 2],
  WI: [6, 2],
  MI: [7, 2],
  NY: [9, 2],
  MA: [10, 2],
  OR: [1, 3],
  NV: [2, 3],
  WY: [3, 3],
  SD: [4, 3],
  IA: [5, 3],
  IL: [6, 3],
  IN: [7, 3],
  OH: [8, 3],
  PA: [9, 3],
  NJ: [10, 3],
  CT: [11, 3],
  CA: [1, 4],
  UT: [2, 4],
  CO: [3, 4],
  NE: [4, 4],
  MO: [5, 4],
  KY: [6, 4],
  WV: [7, 4],
  VA: [8, 4],
  MD: [9, 4],
  DE: [10, 4],
  RI: [11, 4],
  AZ: [2, 5],
  NM: [3, 5],
  KS: [4, 5],
  AR: [5, 5],
  TN: [6, 5],
  NC: [7, 5],
  SC: [8, 5],
  DC: [9, 5],
  OK: [4, 6],
  LA: [5, 6],
  MS: [6, 6],
  AL: [7, 6],
  GA: [8, 6],
  HI: [0, 7],
  TX: [4, 7],
  FL: [9, 7],
  PR: [11, 7],
};

const SIZE = 46;
const GAP = 4;
/** The two darkest classes take white text; the others black (contrast above 4.5:1 either way). */
const INK = ['#000', '#000', '#000', '#fff', '#fff'];

export interface TileMapOptions {
  label: string;
  locale: Locale;
  /** The title of a tile: its state's name and value. */
  describe: (state: string, value: number | null) => string;
  /** Legend text for a state without a value. */
  noData: string;
}

export function stateTileMap(values: ReadonlyMap<string, number>, o: TileMapOptions): Html {
  const present = [...values.values()].filter((v) => v > 0);
  const breaks = classBreaks(present);
  const classOf = (v: number) => breaks.filter((b) => v > b).length;
  const width = 12 * (SIZE + GAP);
  const height = 8 * (SIZE + GAP) + 60;
  const n = (v: number) => formatNumber(o.locale, v, { maximumFractionDigits: 0 });
  const edges = [Math.min(...present), ...breaks, Math.max(...present)];
  // Class i runs from its lower edge to the next: the smallest value, the quantile breaks, the largest.
  const legend = present.length
    ? Array.from({ length: breaks.length + 1 }, (_, i) => ({
        colour: SEQUENTIAL[i]!,
        text: `${n(edges[i]!)} – ${n(edges[i + 1]!)}`,
      }))
    : [];
  return html`<svg class="chart tiles" role="img" aria-label="${o.label}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
    <title>${o.label}</title>
    ${Object.entries(TILES).map(([state, [col, row]]) => {
      const v = values.get(state);
      const has = v !== undefined && v > 0;
      const k = has ? classOf(v) : -1;
      const x = col * (SIZE + GAP);
      const y = row * (SIZE + GAP);
      return html`<g>
        <title>${o.describe(state, has ? v : null)}</title>
        <rect x="${x}" y="${y}" width="${SIZE}" height="${SIZE}" rx="3" fill="${has ? SEQUENTIAL[k]! : '#f2f2f2'}" stroke="#999" stroke-width="${has ? 0 : 1}"></rect>
        <text x="${x + SIZE / 2}" y="${y + SIZE / 2 + 5}" text-anchor="middle" font-size="14" font-weight="600" fill="${has ? INK[k]! : '#555'}">${state}</text>
      </g>`;
    })}
    <g transform="translate(0 ${8 * (SIZE + GAP) + 8})">
      ${[...legend, { colour: '#f2f2f2', text: o.noData }].map(
        (
          l,
          i,
        ) => html`<rect x="${(i % 3) * 200}" y="${Math.floor(i / 3) * 24}" width="16" height="16" fill="${l.colour}" stroke="#999" stroke-width="${i === legend.length ? 1 : 0}"></rect>
          <text x="${(i % 3) * 200 + 22}" y="${Math.floor(i / 3) * 24 + 13}" font-size="13">${l.text}</text>`,
      )}
    </g>
  </svg>`;
}
