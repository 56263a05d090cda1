/**
 * `POST /api/v1/imports`: a statistics file uploaded to a running server and imported into its store.
 * DuckDB lets one process open the store, so while `marco serve` runs this is how files get in; the
 * server imports on a second connection, one import at a time, while its reads go on.
 * @module
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from '../../error.js';
import { DataError } from '../../stats/import-report.js';
import { z } from 'zod';
import { importAudited, rollbackAudited } from '../../custody/statistics-custody.js';
import { resolveParams } from '../../stats/importer.js';
import { namedPairs } from '../../stats/series-query.js';
import { sourceById } from '../../stats/sources/index.js';
import { ImportRequest } from '../api-schemas.js';
import { clientAddress } from '../../web/client-address.js';
import { requireStats, route } from '../route.js';
import * as R from '../responses/index.js';

class TooLarge extends Error {}

export const imports = route({
  method: 'post',
  path: '/imports',
  operationId: 'importStatistics',
  response: R.ImportAnswer,
  usesStats: true,
  tag: 'statistics',
  permission: 'import:statistics',
  summary:
    'Import an official-statistics file into the running server’s store (the CLI’s `marco import --server`): the body is the file, as application/octet-stream',
  query: ImportRequest,
  upload: true,
  async handle({ c, store, stats: open, query, options, viewer, write }) {
    const stats = requireStats(open);
    const source = sourceById(query.source);
    if (!source)
      throw new HttpError(404, 'not_found', {
        key: 'http.noSource',
        values: { source: JSON.stringify(query.source) },
      });
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/octet-stream\b/i.test(type))
      throw new HttpError(415, 'unsupported_media_type', { key: 'http.notOctetStream', values: {} });
    const params = namedPairs(query.param, 'param');
    resolveParams(source, params);
    const limit = options.maxImportBytes ?? 2 * 1024 ** 3;
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > limit)
      throw new HttpError(413, 'too_large', {
        key: 'http.fileTooLarge',
        values: { length: declared, limit },
      });
    const body = c.req.raw.body;
    if (!body) throw new HttpError(400, 'invalid_input', { key: 'http.noBody', values: {} });

    const dir = await mkdtemp(path.join(os.tmpdir(), 'marco-upload-'));
    const name = query.file_name ?? `${source.id}.upload`;
    const file = path.join(dir, name);
    try {
      let seen = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          if (seen > limit) return done(new TooLarge());
          done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.fromWeb(body as never), count, createWriteStream(file));
      } catch (error) {
        if (error instanceof TooLarge)
          throw new HttpError(413, 'too_large', { key: 'http.fileExceeds', values: { limit } });
        throw new HttpError(400, 'invalid_input', {
          key: 'http.interrupted',
          values: { reason: (error as Error).message },
        });
      }
      const from = clientAddress(c);
      const report = await stats
        .exclusive((writer) =>
          importAudited(
            writer,
            store,
            source,
            file,
            {
              version: options.version ?? 'unknown',
              params,
              importedBy: viewer!.user,
              origin: `upload:${name}${from ? ` from ${from}` : ''}`,
              ...(query.max_rejects !== undefined ? { maxRejectShare: Number(query.max_rejects) } : {}),
            },
            write,
          ),
        )
        .catch((error: unknown) => {
          // Messages name the temporary path; the client knows the file by the name it gave.
          if (error instanceof DataError) throw error.renamed(file, name);
          throw error;
        });
      // The temporary path means nothing to the client: report the name it gave.
      return {
        ...report,
        file: name,
        rejects: report.rejects.map((r) => ({ ...r, file: name })),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

const VintageId = z.string().regex(/^[1-9]\d{0,9}$/, { message: 'validation.schema.vintageId' });

export const rollback = route({
  method: 'post',
  path: '/vintages/{id}/rollback',
  operationId: 'rollbackVintage',
  response: R.RollbackAnswer,
  usesStats: true,
  params: { id: VintageId },
  tag: 'statistics',
  permission: 'import:statistics',
  summary:
    'Roll back an import: the vintage’s rows are withdrawn and the rows it took over from earlier vintages (or the names and figures it overwrote) come back; audited',
  async handle({ store, stats: open, params, write }) {
    const stats = requireStats(open);
    return stats.exclusive((writer) => rollbackAudited(writer, store, Number(params.id), write));
  },
});
