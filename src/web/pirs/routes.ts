/**
 * `GET /indicators/{code}/versions?a=&b=`: two versions of an indicator's reference sheet, side by side,
 * to whoever may see the indicator.
 * @module
 */
import { z } from 'zod';
import { safeParseInput } from '../../domain/common-schema.js';
import { NotFoundError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { getIndicator } from '../../records/program-repository.js';
import type { PageRoute } from '../page-route.js';
import { notFoundPage } from '../places.js';
import { renderVersions, type SheetVersion } from './versions-page.js';

const Choice = z.object({
  a: z.coerce.number().int().min(1).optional(),
  b: z.coerce.number().int().min(1).optional(),
  lang: z.string().optional(),
});

export const PIRS_PAGES: readonly PageRoute[] = [
  {
    path: '/indicators/:code/versions',
    permission: 'read',
    async handle(ctx) {
      const code = ctx.c.req.param('code') ?? '';
      let indicator;
      try {
        indicator = await getIndicator(ctx.store, ctx.reader.viewer, code);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        const t = translator(ctx.reader.locale);
        return ctx.c.html(notFoundPage(ctx.reader, t('web.indicator.unknown', { code })).body, 404);
      }
      const versions = indicator.history as SheetVersion[];
      const choice = safeParseInput(Choice, ctx.c.req.query());
      const last = versions.at(-1)?.version ?? 1;
      const b = (choice.success ? choice.data.b : undefined) ?? last;
      const a = (choice.success ? choice.data.a : undefined) ?? versions.at(-2)?.version ?? last;
      const known = (v: number) => versions.some((x) => x.version === v);
      if (!choice.success || !known(a) || !known(b)) return ctx.c.html(notFoundPage(ctx.reader).body, 404);
      return ctx.c.html(renderVersions(ctx.reader, indicator, versions, a, b));
    },
  },
];
