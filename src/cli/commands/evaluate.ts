/**
 * `marco evaluate SPEC.yaml [--json] [--save]`: runs an impact evaluation on the statistics store, with
 * the built-in interventions and those added to the records store; `marco events list|add|import`
 * manages those interventions.
 * @module
 */
import { progressOf, type Terminal } from '../progress.js';
import type { Config } from '../../config.js';
import { CliError } from '../../error.js';
import { formatNumber, formatP, translator, type Locale, type Translate } from '../../i18n/index.js';
import { readDocumentFile } from '../../records/builtin.js';
import { getEvaluation, listEvaluations, saveEvaluation } from '../../records/evaluation-repository.js';
import { evaluate, parseEvaluationSpec, type EvaluationResult } from '../../eval/evaluate.js';
import { warningText } from '../../eval/evaluation-warnings.js';
import { cohortLine, printSynthControl } from './evaluate-synth.js';
import { doublyRobustText, poolText } from '../../eval/cs/cs-text.js';
import {
  addInterventions,
  evaluationInterventions,
  listInterventions,
  readInterventions,
} from '../../eval/interventions.js';
import { json, spineOf, withRecords, withStats } from './open-stores.js';
import { VERSION } from '../../package.js';

/** The text report of a run: panel, event-study rows, overall effect, warnings and hash. */
function printResult(t: Translate, locale: Locale, result: EvaluationResult, out: (text: string) => void) {
  const n = (v: number, d = 3) => formatNumber(locale, v, { maximumFractionDigits: d });
  out(
    t('evaluate.header', {
      title: result.title,
      units: result.panel.units,
      periods: result.panel.periods,
      cohorts: result.panel.cohorts.length,
      never: result.panel.neverTreated,
    }),
  );
  for (const d of result.panel.dropped.slice(0, 10)) out(t('evaluate.dropped', d));
  if (result.panel.dropped.length > 10) out(t('evaluate.more', { count: result.panel.dropped.length - 10 }));
  if (result.twfe) {
    const { pretrend, critical } = result.twfe;
    out(
      pretrend.f && critical
        ? t('evaluate.twfeF', {
            df1: pretrend.f.df1,
            df2: pretrend.f.df2,
            f: n(pretrend.f.statistic),
            p: formatP(locale, pretrend.f.p),
            statistic: n(pretrend.statistic),
            chiP: formatP(locale, pretrend.p),
            t: n(critical.t),
          })
        : t('evaluate.twfe', { p: formatP(locale, pretrend.p), df: pretrend.df }),
    );
    if (result.twfe.omitted.length) out(t('evaluate.omitted', { periods: result.twfe.omitted.join(', ') }));
    result.twfe.relative.forEach((r, i) =>
      out(
        t('evaluate.row', {
          event: r,
          estimate: n(result.twfe!.coefficients[i]!),
          lower: n(result.twfe!.lower[i]!),
          upper: n(result.twfe!.upper[i]!),
        }),
      ),
    );
  }
  if (result.cs) {
    const dr = doublyRobustText(t, result.cs);
    if (dr) out(dr);
    out(
      t('evaluate.cs', {
        att: n(result.cs.simple.att),
        lower: n(result.cs.simple.lower),
        upper: n(result.cs.simple.upper),
        draws: result.cs.draws,
      }),
    );
    const ri = result.cs.randomization;
    if (ri)
      out(t('evaluate.randomization', { permutations: ri.permutations, p: formatP(locale, ri.simple.p) }));
    if (ri?.pool) out(poolText(t, locale, ri.pool));
    if (ri?.failed) out(t('evaluate.randomizationFailed', { failed: ri.failed }));
    const pOf = new Map(ri?.dynamic.map((d) => [d.event, d.p]));
    for (const d of result.cs.dynamic) {
      const row = { event: d.event, estimate: n(d.att), lower: n(d.lower), upper: n(d.upper) };
      const p = pOf.get(d.event);
      out(p === undefined ? t('evaluate.row', row) : t('evaluate.rowP', { ...row, p: formatP(locale, p) }));
    }
  }
  if (result.sdid) {
    const s = result.sdid;
    out(cohortLine(t, 'evaluate.synth.header', s));
    for (const m of s.methods) {
      const row = {
        method: t(`evaluate.synth.method.${m.method}`),
        estimate: n(m.estimate),
        rmspe: n(m.preRmspe),
        weights:
          m.weights
            .slice(0, 5)
            .map((w) => `${w.unit} ${formatNumber(locale, w.weight, { maximumFractionDigits: 3 })}`)
            .join(', ') || '—',
      };
      out(
        m.se === undefined
          ? t('evaluate.synth.rowNoSe', row)
          : t('evaluate.synth.row', { ...row, se: n(m.se) }),
      );
      if (m.jackknifeSe !== undefined || m.bootstrapSe !== undefined)
        out(
          t('evaluate.synth.resampling', {
            jackknife: m.jackknifeSe === undefined ? '—' : n(m.jackknifeSe),
            bootstrap: m.bootstrapSe === undefined ? '—' : n(m.bootstrapSe),
          }),
        );
    }
    for (const c of s.cohorts ?? [])
      out(
        t('evaluate.synth.cohortRow', {
          cohort: c.cohort,
          units: c.treated.join(', '),
          weight: formatNumber(locale, c.weight, { style: 'percent', maximumFractionDigits: 1 }),
          estimates: c.estimates
            .map((e) => `${t(`evaluate.synth.method.${e.method}`)} ${n(e.estimate)}`)
            .join('; '),
        }),
      );
  }
  if (result.synth) printSynthControl(t, locale, result.synth, out);
  for (const w of result.warnings) out(warningText(t, locale, w));
  out(t('evaluate.hash', { hash: result.hash }));
}

export async function runEvaluate(
  config: Config,
  file: string,
  opts: { json?: boolean; save?: boolean; progress?: boolean; terminal?: Terminal },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  let doc;
  try {
    doc = await readDocumentFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError({ key: 'files.noSuchFile', values: { file } });
    throw error;
  }
  // A bad specification is refused before any store is opened.
  parseEvaluationSpec(doc.data);
  await withRecords(config, (records) =>
    withStats(config, async (stats) => {
      const bar = opts.terminal
        ? progressOf({
            stream: opts.terminal,
            locale: config.locale,
            label: t('cli.progressLabel.evaluate'),
            progress: opts.progress,
            quiet: opts.json,
          })
        : undefined;
      const result = await evaluate(
        stats,
        doc.data,
        VERSION,
        await evaluationInterventions(records),
        (done, total, step) => bar?.update(done, total, t(`evaluate.step.${step}`)),
      );
      bar?.stop();
      const id = opts.save ? await saveEvaluation(records, result, { actor: config.actor }) : undefined;
      if (opts.json) return out(json(id === undefined ? result : { id, ...result }));
      printResult(t, config.locale, result, out);
      if (id !== undefined) out(t('evaluate.saved', { id }));
    }),
  );
}

export async function runEventsList(
  config: Config,
  opts: { type?: string; json?: boolean },
  out: (text: string) => void,
) {
  await withRecords(config, async (records) => {
    const events = (await listInterventions(records)).filter((e) => !opts.type || e.type === opts.type);
    if (opts.json) return out(json(events));
    for (const e of events)
      out(`${e.date}  ${e.id}  ${e.type}  ${e.level} ${e.places.join(';')}  ${e.name}  [${e.added_by}]`);
  });
}

export interface EventAddOptions {
  id: string;
  type: string;
  name: string;
  date: string;
  level: string;
  places: string;
  source: string;
  country: string;
  agency: string;
  json?: boolean;
}

export async function runEventsAdd(config: Config, opts: EventAddOptions, out: (text: string) => void) {
  const t = translator(config.locale);
  await withRecords(config, async (records) => {
    const ids = await addInterventions(
      records,
      [
        {
          id: opts.id,
          type: opts.type,
          name: opts.name,
          date: opts.date,
          level: opts.level as 'state',
          places: opts.places.split(/[;,]/).map((c) => c.trim()),
          source: opts.source,
        },
      ],
      { country: opts.country as 'US', agency: opts.agency },
      { actor: config.actor },
      {
        where: () => '',
        names: {
          id: '--id',
          type: '--type',
          name: '--name',
          date: '--date',
          level: '--level',
          places: '--places',
          source: '--source',
        },
        ...(await spineOf(config)),
      },
    );
    if (opts.json) return out(json({ added: ids }));
    out(t('events.added', { count: ids.length, ids: ids.join(', ') }));
  });
}

export async function runEventsImport(
  config: Config,
  file: string,
  opts: { country: string; agency: string; json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  let events;
  try {
    events = await readInterventions(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError({ key: 'files.noSuchFile', values: { file } });
    throw error;
  }
  await withRecords(config, async (records) => {
    const ids = await addInterventions(
      records,
      events,
      { country: opts.country as 'US', agency: opts.agency },
      { actor: config.actor },
      {
        // The file's own line numbers (the header is line 1; blank lines are skipped by the reader).
        where: (i) => `${file}:${events[i]!.line}`,
        names: { level: 'geo_level', places: 'geo_codes', id: 'event_id' },
        ...(await spineOf(config)),
      },
    );
    if (opts.json) return out(json({ added: ids }));
    out(t('events.added', { count: ids.length, ids: ids.join(', ') }));
  });
}

export async function runEvaluationsList(
  config: Config,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  const t = translator(config.locale);
  await withRecords(config, async (records) => {
    const runs = await listEvaluations(records);
    if (opts.json) return out(json(runs));
    if (runs.length === 0) return out(t('web.evaluations.none'));
    const n = (v: number) => formatNumber(config.locale, v, { maximumFractionDigits: 3 });
    for (const r of runs)
      out(
        `${r.id}  ${r.created_at.slice(0, 16).replace('T', ' ')}  ${r.title}  (${r.units} × ${r.periods}; ${r.estimators.join(', ')})${r.att ? `  ATT ${n(r.att.att)} [${n(r.att.lower)}, ${n(r.att.upper)}]` : ''}`,
      );
  });
}

export async function runEvaluationsShow(
  config: Config,
  id: string,
  opts: { json?: boolean },
  out: (text: string) => void,
) {
  if (!/^[1-9]\d{0,9}$/.test(id))
    throw new CliError({ key: 'cli.errors.evaluationId', values: { given: JSON.stringify(id) } });
  const t = translator(config.locale);
  await withRecords(config, async (records) => {
    const result = await getEvaluation<EvaluationResult>(records, Number(id));
    if (opts.json) return out(json(result));
    printResult(t, config.locale, result, out);
  });
}
