/**
 * `POST /benchmarks/{code}/targets/{period}/approve`: the node page's button, through the same service
 * and rules as the API. The approval is the signed-in approver's country's; a value changed since the
 * page was read is refused (409) and nothing changes. Back to the node page, which says what was done.
 * @module
 */
import { approveBenchmarkTarget } from '../../benchmarks/benchmark-service.js';
import { MarcoError } from '../../error.js';
import { translator } from '../../i18n/index.js';
import { checkedForm, pageStatus, writeOptions } from '../forms.js';
import type { PageRoute } from '../page-route.js';
import { messagePage } from '../session/login-page.js';
import { listBenchmarks } from '../../records/benchmark-repository.js';

export const BENCHMARK_PAGES: readonly PageRoute[] = [
  {
    method: 'post',
    path: '/benchmarks/:code/targets/:period/approve',
    permission: 'write:results',
    async handle(ctx) {
      const form = await checkedForm(ctx);
      if (form instanceof Response) return form;
      const t = translator(ctx.reader.locale);
      const code = ctx.c.req.param('code') ?? '';
      const period = ctx.c.req.param('period') ?? '';
      const version = /^[1-9]\d{0,8}$/.test(form.version ?? '') ? Number(form.version) : undefined;
      try {
        const done = await approveBenchmarkTarget(
          ctx.store,
          ctx.reader.viewer,
          code,
          period,
          writeOptions(ctx),
          version,
        );
        const node = (await listBenchmarks(ctx.store)).find((b) => b.code === code)!.node;
        return ctx.c.redirect(
          `/nodes/${node}?done=approved&benchmark=${encodeURIComponent(code)}&period=${encodeURIComponent(period)}&country=${done.country}#benchmark-${code}`,
          303,
        );
      } catch (error) {
        if (!(error instanceof MarcoError)) throw error;
        return ctx.c.html(
          messagePage(ctx.reader, t('web.benchmarks.refusedTitle'), error.messageIn(ctx.reader.locale)),
          pageStatus(error),
        );
      }
    },
  },
];
