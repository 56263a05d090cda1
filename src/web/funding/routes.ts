/**
 * The funding pages and their downloads: `/funding`, `/programs/{code}/funding`, `/nodes/{ref}/funding`,
 * and `/funding/lines.csv` and `/funding/lines.xlsx` (`?program=` or `?node=` for a program's or a node's
 * lines): the approved lines the page counts, in the funding CSV layout's columns (`docs/funding-format.md`),
 * the same in both files. Anyone may read them; what each reader sees is narrowed by the records' rights.
 * @module
 */
import { NotFoundError } from '../../error.js';
import { FUNDING_COLUMNS, FUNDING_INFORMATIVE, fundingRows } from '../../funding/funding-csv.js';
import type { FundingScope } from '../../funding/funding-analysis.js';
import { scopedFundingLines } from '../../funding/funding-money.js';
import { translator } from '../../i18n/index.js';
import { auditHeadHeader } from '../../records/audit.js';
import { xlsxTable } from '../../xlsx.js';
import { tableCsvResponse } from '../downloads/table-download.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderFunding } from './funding-page.js';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const page = async (ctx: PageContext, scope: FundingScope) => {
  const rendered = await renderFunding(ctx.store, ctx.stats, ctx.reader, scope);
  return ctx.c.html(rendered.body, rendered.status);
};

/** The scope a download's URL names: `program`, `node`, or neither (the country); undefined when bad. */
function scopeOf(url: URL): FundingScope | undefined {
  const program = url.searchParams.get('program');
  const node = url.searchParams.get('node');
  if (program !== null && node !== null) return undefined;
  if (program !== null) return CODE.test(program) ? { kind: 'program', code: program } : undefined;
  if (node !== null) return NODE.test(node) ? { kind: 'node', ref: node } : undefined;
  return { kind: 'country' };
}

/** The lines of a download, or the response that refuses it. */
async function downloadLines(ctx: PageContext) {
  const t = translator(ctx.reader.locale);
  const scope = scopeOf(ctx.reader.url);
  if (!scope) return ctx.c.text(`${t('web.funding.downloads.badScope')}\n`, 400);
  try {
    const { lines } = await scopedFundingLines(ctx.store, ctx.reader.viewer, scope);
    return {
      lines,
      name:
        scope.kind === 'country'
          ? 'funding'
          : `funding-${scope.kind === 'program' ? scope.code : scope.ref.replace(':', '-')}`,
    };
  } catch (error) {
    if (error instanceof NotFoundError) return ctx.c.text(`${error.messageIn(ctx.reader.locale)}\n`, 404);
    throw error;
  }
}

const HEADER = [...FUNDING_COLUMNS, ...FUNDING_INFORMATIVE];

export const FUNDING_PAGES: readonly PageRoute[] = [
  { path: '/funding', permission: 'read', handle: (ctx) => page(ctx, { kind: 'country' }) },
  {
    path: '/programs/:code/funding',
    permission: 'read',
    handle: (ctx) => {
      const code = ctx.c.req.param('code') ?? '';
      if (!CODE.test(code)) return Promise.resolve(ctx.c.html(notFoundPage(ctx.reader).body, 404));
      return page(ctx, { kind: 'program', code });
    },
  },
  {
    path: '/nodes/:ref/funding',
    permission: 'read',
    handle: (ctx) => {
      const ref = ctx.c.req.param('ref') ?? '';
      if (!NODE.test(ref)) return Promise.resolve(ctx.c.html(notFoundPage(ctx.reader).body, 404));
      return page(ctx, { kind: 'node', ref });
    },
  },
  {
    path: '/funding/lines.csv',
    permission: 'read',
    async handle(ctx) {
      const got = await downloadLines(ctx);
      if (got instanceof Response) return got;
      // The project's one CSV download writer: the escaping writer, an optional BOM and CRLF, the audit head.
      return tableCsvResponse(
        ctx.c,
        ctx.store,
        got.name,
        { columns: HEADER, rows: fundingRows(got.lines) },
        ctx.reader.url.searchParams.get('excel') === 'true',
      );
    },
  },
  {
    path: '/funding/lines.xlsx',
    permission: 'read',
    async handle(ctx) {
      const got = await downloadLines(ctx);
      if (got instanceof Response) return got;
      const book = await xlsxTable('funding', HEADER, fundingRows(got.lines));
      return ctx.c.body(new Uint8Array(book), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="marco-${got.name}.xlsx"`,
        'Marco-Audit-Head': await auditHeadHeader(ctx.store.db),
      });
    },
  },
];
