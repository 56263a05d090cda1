/**
 * `marco vintages rollback ID`: rolls back a statistics import, on the data directory as its operator
 * or through a running server as a data steward (`--server URL --token T`). Audited either way.
 * @module
 */
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, translator } from '../../i18n/index.js';
import { rollbackAudited } from '../../custody/statistics-custody.js';
import type { RollbackReport } from '../../stats/rollback.js';
import { callApi } from '../api-client.js';
import { json, withStatsAndRecords } from './open-stores.js';
import { remote, type RemoteOptions } from './tokens.js';

export async function runVintageRollback(
  config: Config,
  id: string,
  opts: RemoteOptions & { json?: boolean },
  out: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  if (!/^[1-9]\d{0,9}$/.test(id))
    throw new CliError({ key: 'cli.errors.vintageId', values: { given: JSON.stringify(id) } });
  const via = remote(opts, t);
  const report = via
    ? ((await callApi(
        { ...via, locale: config.locale },
        'POST',
        `/vintages/${id}/rollback`,
      )) as RollbackReport)
    : await withStatsAndRecords(
        config,
        (stats, records) => rollbackAudited(stats, records, Number(id), { actor: config.actor }),
        { write: true },
      );
  if (opts.json) return out(json(report));
  const reinstated = report.reinstated
    .map((r) => `${r.vintage === null ? r.table : `#${r.vintage}`} (${formatNumber(config.locale, r.rows)})`)
    .join(', ');
  out(
    t('stats.rollback.done', {
      id: report.vintage,
      file: report.file,
      source: report.source,
      rows: formatNumber(config.locale, report.rowsWithdrawn),
      reinstated: reinstated || t('stats.rollback.nothing'),
    }),
  );
}
