/**
 * The IATI 2.03 export of the public programs: `GET /api/v1/iati/activities.xml` (or `Accept:
 * application/xml`) streams the file batch by batch, with backpressure, so a slow client never makes
 * the server hold the whole file; the JSON form lists the activities it holds. Only public records are
 * written, whoever asks. `?prefix=` overrides the deployment's identifier prefix (`MARCO_IATI_ORG_REF`).
 * @module
 */
import { z } from 'zod';
import { exportIati } from '../../iati/iati-export.js';
import { IATI_REF, iatiPublisher } from '../../iati/iati-publisher.js';
import { auditHeadHeader } from '../../records/audit.js';
import { canSee } from '../../access/rules.js';
import { Lang } from '../api-schemas.js';
import { route } from '../route.js';
import { IatiActivities } from '../responses/iati.js';

const IatiQuery = z
  .object({
    prefix: z.string().regex(IATI_REF, { message: 'validation.schema.iatiRef' }).optional().meta({
      description: 'the identifier prefix (the reporting organisation’s IATI identifier), e.g. US-GOV-11',
    }),
    lang: Lang,
  })
  .strict();

export const iatiActivities = route({
  method: 'get',
  path: '/iati/activities',
  operationId: 'getIatiActivities',
  response: IatiActivities,
  tag: 'iati',
  permission: 'read',
  usesStats: true,
  summary:
    'The IATI 2.03 activities of the public programs: as XML (`/iati/activities.xml` or `Accept: application/xml`), one `iati-activity` per program with its DAC sectors, budgets, transactions (obligations, disbursements, expenditures) and results (approved public actuals), streamed; as JSON, the activities the file holds. Restricted and official-use records are never exported',
  query: IatiQuery,
  async handle({ store, query }) {
    const publisher = iatiPublisher(process.env, query.prefix);
    const programs = await store.db
      .selectFrom('programs')
      .select(['code', 'title_en', 'title_es', 'country', 'agency', 'classification'])
      .orderBy('code')
      .execute();
    return {
      version: '2.03',
      reporting_org: publisher.ref,
      activities: programs
        .filter((p) => canSee(null, p))
        .map((p) => ({
          identifier: `${publisher.ref}-${p.code}`,
          program: p.code,
          title: { en: p.title_en, es: p.title_es },
        })),
    };
  },
  async xml({ c, store, stats, query }) {
    const publisher = iatiPublisher(process.env, query.prefix);
    const stream = new TransformStream<Uint8Array, Uint8Array>();
    const writer = stream.writable.getWriter();
    const encoder = new TextEncoder();
    // Written as the client reads: each batch waits until the one before has gone out.
    exportIati(store, stats, publisher, async (chunk) => {
      await writer.ready;
      await writer.write(encoder.encode(chunk));
    })
      .then(() => writer.close())
      .catch((error: unknown) => writer.abort(error));
    const head = await auditHeadHeader(store.db);
    return c.body(stream.readable, 200, {
      'content-type': 'application/xml; charset=utf-8',
      'content-disposition': `attachment; filename="marco-iati-activities.xml"`,
      // The records the file is made of: the same audit head gives the same activities.
      ETag: `W/"iati-${head.replace(/[^0-9a-f:]/gi, '')}"`,
      'Marco-Audit-Head': head,
    });
  },
});
