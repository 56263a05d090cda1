/**
 * `marco export --format iati [-o FILE] [--iati-prefix REF]`: the IATI 2.03 activities of the public
 * programs, streamed to the file (written beside it, then renamed, so a killed export leaves no half
 * file) or to standard output. The publisher comes from the environment (`iati/iati-publisher.ts`); a
 * placeholder identifier is said on standard error.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Config } from '../../config.js';
import { exportIati } from '../../iati/iati-export.js';
import { DEFAULT_IATI_REF, iatiPublisher } from '../../iati/iati-publisher.js';
import { translator } from '../../i18n/index.js';
import { withStatsAndRecords } from './open-stores.js';

export async function runIatiExport(
  config: Config,
  opts: { output?: string; iatiPrefix?: string },
  out: (text: string) => void,
  say: (text: string) => void,
): Promise<void> {
  const t = translator(config.locale);
  const publisher = iatiPublisher(process.env, opts.iatiPrefix);
  if (publisher.ref === DEFAULT_IATI_REF) say(t('iati.placeholder', { ref: publisher.ref }));
  await withStatsAndRecords(config, async (stats, store) => {
    if (!opts.output || opts.output === '-') {
      let text = '';
      await exportIati(store, stats, publisher, (chunk) => {
        text += chunk;
      });
      return out(text.replace(/\n$/, ''));
    }
    const tmp = `${opts.output}.tmp-${process.pid}`;
    const file = createWriteStream(tmp);
    try {
      const count = await exportIati(store, stats, publisher, async (chunk) => {
        if (!file.write(chunk)) await once(file, 'drain');
      });
      file.end();
      await once(file, 'finish');
      await rename(tmp, opts.output);
      say(t('iati.exported', { count, file: opts.output, ref: publisher.ref }));
    } catch (error) {
      file.destroy();
      await rm(tmp, { force: true });
      throw error;
    }
  });
}
