/**
 * The incident pages: `GET /incidents` (anyone; each incident as its classification allows),
 * `GET /incidents/new` and `POST /incidents/new` (a reporter records one), and
 * `GET /incidents/{code}/edit` and `POST /incidents/{code}/edit` (its owners change it). Each post goes
 * through the same schema, rules and audited write as `POST /api/v1/incidents`; a refusal changes
 * nothing and is shown beside its field.
 * @module
 */
import { z } from 'zod';
import { can } from '../../access/rules.js';
import { hasRole, type Official, type Viewer } from '../../access/viewer.js';
import { Code, IsoDate, Place, safeParseInput, zodIssues } from '../../domain/common-schema.js';
import { Incident, INCIDENT_KINDS } from '../../domain/incidents/incident-schema.js';
import { MarcoError, NotFoundError, ValidationError, textIssue, type Issue } from '../../error.js';
import { translator } from '../../i18n/index.js';
import {
  DEFAULT_INCIDENT_CLASSIFICATION,
  incidentFor,
  saveIncidents,
  visibleIncidents,
} from '../../incidents/incident-service.js';
import { listIncidents, type StoredIncident } from '../../records/incident-repository.js';
import {
  checkedForm,
  doneNotice,
  issueText,
  pageStatus,
  refusal,
  writeOptions,
  type RefusedStatus,
} from '../forms.js';
import type { PageContext, PageRoute } from '../page-route.js';
import { placeName } from '../places.js';
import {
  INCIDENT_FIELDS,
  renderIncidentForm,
  renderIncidentList,
  type IncidentFormState,
} from './incident-pages.js';

const Filter = z.object({
  kind: z.enum(INCIDENT_KINDS).optional(),
  place: Place.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

const Done = z.object({ done: z.enum(['saved']), code: Code });

const canEdit = (viewer: Viewer) => (i: StoredIncident) => viewer !== null && can(viewer, 'edit', i);

async function list(ctx: PageContext): Promise<Response> {
  const q = ctx.c.req.query();
  const typed = {
    kind: q.kind || undefined,
    place: q.place?.trim().toUpperCase() || undefined,
    from: q.from?.trim() || undefined,
    to: q.to?.trim() || undefined,
  };
  const viewer = ctx.reader.viewer;
  const places = ctx.stats ? (await ctx.stats.metadata()).places : undefined;
  const t = translator(ctx.reader.locale);
  // A filter that is not one lists nothing and says which field is wrong and why (400).
  const parsed = safeParseInput(Filter, typed);
  const f = parsed.success ? parsed.data : {};
  const incidents = parsed.success
    ? await visibleIncidents(ctx.store, viewer, {
        ...(f.kind ? { kinds: [f.kind] } : {}),
        ...(f.place ? { places: [f.place] } : {}),
        ...(f.from ? { from: f.from } : {}),
        ...(f.to ? { to: f.to } : {}),
      })
    : [];
  const notice = parsed.success
    ? doneNotice(ctx, Done, (tr, d) => tr('web.incidents.saved', { code: d.code }))
    : {
        kind: 'refused' as const,
        text: zodIssues(parsed.error)
          .map((i) => `${t(`web.incidents.col.${i.path}`)}: ${issueText(t, i)}`)
          .join(' · '),
      };
  return ctx.c.html(
    renderIncidentList(ctx.reader, {
      incidents,
      filter: {
        kind: f.kind ?? '',
        place: typed.place ?? '',
        from: typed.from ?? '',
        to: typed.to ?? '',
      },
      names: (code) => placeName(t, code, places?.get(code)?.name),
      reporter: viewer !== null && hasRole(viewer, 'reporter'),
      canEdit: canEdit(viewer),
      ...(notice ? { notice } : {}),
    }),
    parsed.success ? 200 : 400,
  );
}

/** The incident the form describes: blank fields left out, so the schema says what is missing. */
function described(form: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const text = (name: string) => form[name]?.trim() || undefined;
  for (const name of ['code', 'date', 'kind', 'classification']) if (text(name)) out[name] = text(name);
  const places = text('places');
  if (places)
    out.places = places
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((p) => p.toUpperCase());
  const sources = form.sources
    ?.split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  out.sources = sources ?? [];
  for (const part of ['title', 'summary'] as const) {
    const en = text(`${part}.en`);
    const es = text(`${part}.es`);
    if (en || es) out[part] = { ...(en ? { en } : {}), ...(es ? { es } : {}) };
  }
  if (/^[1-9]\d{0,8}$/.test(form.version ?? '')) out.version = Number(form.version);
  return out;
}

/** `incidents[0].places[2]` or `places[2]` → `places`: the form's field of an issue. */
const onForm = (issues: readonly Issue[]) =>
  issues.map((i) => ({
    ...i,
    path: i.path
      .replace(/^incident\.?/, '')
      .replace(/\[\d+\]$/, '')
      .replace(/^(title|summary)$/, '$1.en'),
  }));

async function post(ctx: PageContext, editing: StoredIncident | undefined): Promise<Response> {
  const form = await checkedForm(ctx);
  if (form instanceof Response) return form;
  const t = translator(ctx.reader.locale);
  const viewer = ctx.reader.viewer as Official;
  const show = (status: RefusedStatus, state: IncidentFormState) =>
    ctx.c.html(renderIncidentForm(ctx.reader, editing, state), status);
  const refused = (status: RefusedStatus, error: MarcoError) => {
    const r = refusal(t, ctx.reader.locale, error, INCIDENT_FIELDS);
    return show(status, {
      typed: form,
      errors: r.errors,
      ...(r.alert ? { notice: { kind: 'refused', text: r.alert } } : {}),
    });
  };
  // An edit keeps the incident's code: the form cannot rename it.
  const input = { ...described(form), ...(editing ? { code: editing.code } : {}) };
  const checked = safeParseInput(Incident, input);
  if (!checked.success) return refused(422, new ValidationError(onForm(zodIssues(checked.error))));
  try {
    // The new-incident form creates: a code already taken (even by an incident the reader cannot see)
    // is refused, never overwritten.
    if (!editing && (await listIncidents(ctx.store.db, { codes: [checked.data.code] })).length)
      throw new ValidationError([textIssue('code', 'web.incidents.codeTaken', { code: checked.data.code })]);
    await saveIncidents(
      ctx.store,
      viewer,
      [checked.data],
      { country: viewer.country, agency: viewer.agency, classification: DEFAULT_INCIDENT_CLASSIFICATION },
      { ...writeOptions(ctx), ...(ctx.stats ? { places: (await ctx.stats.metadata()).places } : {}) },
      () => 'incident',
    );
    return ctx.c.redirect(
      `/incidents?lang=${ctx.reader.locale}&done=saved&code=${encodeURIComponent(checked.data.code)}`,
      303,
    );
  } catch (error) {
    if (!(error instanceof MarcoError)) throw error;
    return refused(
      pageStatus(error),
      error instanceof ValidationError ? new ValidationError(onForm(error.issues)) : error,
    );
  }
}

/** The incident of the path, when the reader may change it; else the refusal to answer. */
async function editable(ctx: PageContext): Promise<StoredIncident | Response> {
  const t = translator(ctx.reader.locale);
  const code = ctx.c.req.param('code') ?? '';
  const viewer = ctx.reader.viewer;
  try {
    if (!Code.safeParse(code).success)
      throw new NotFoundError('incident', code, { key: 'notFound.hint.incidents' });
    const incident = await incidentFor(ctx.store, viewer, code);
    if (!canEdit(viewer)(incident))
      return ctx.c.html(
        renderIncidentForm(ctx.reader, incident, {
          notice: { kind: 'refused', text: t('web.incidents.notYours', { code }) },
        }),
        403,
      );
    return incident;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return ctx.c.html(
      renderIncidentForm(ctx.reader, undefined, {
        notice: { kind: 'refused', text: error.messageIn(ctx.reader.locale) },
      }),
      404,
    );
  }
}

export const INCIDENT_PAGES: readonly PageRoute[] = [
  { path: '/incidents', permission: 'read', handle: list },
  {
    path: '/incidents/new',
    permission: 'write:records',
    handle: async (ctx) => ctx.c.html(renderIncidentForm(ctx.reader, undefined)),
  },
  {
    method: 'post',
    path: '/incidents/new',
    permission: 'write:records',
    handle: (ctx) => post(ctx, undefined),
  },
  {
    path: '/incidents/:code/edit',
    permission: 'write:records',
    async handle(ctx) {
      const incident = await editable(ctx);
      return incident instanceof Response ? incident : ctx.c.html(renderIncidentForm(ctx.reader, incident));
    },
  },
  {
    method: 'post',
    path: '/incidents/:code/edit',
    permission: 'write:records',
    async handle(ctx) {
      const incident = await editable(ctx);
      return incident instanceof Response ? incident : post(ctx, incident);
    },
  },
];
