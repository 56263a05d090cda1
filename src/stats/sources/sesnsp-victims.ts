/**
 * SESNSP victims of crimes of the common jurisdiction (fuero común, new methodology) by state and month,
 * with crime type, subtype and modality, sex and age group, in the long layout republished by
 * isaacarroyov/datos_facil_acceso. Intentional homicide, femicide, kidnapping and extortion get their own
 * measures; every other subtype is `crime_victims`, told apart by its dimensions.
 * @module
 */
import { readCsvText, rejectColumns, wholeNumber, type Source, type SourceLayout } from '../source.js';
import { rejectReason } from '../reject-reasons.js';

export const sesnspVictims: Source = {
  country: 'MX',
  id: 'sesnsp-victims',
  title: {
    en: 'SESNSP victims of crime by state and month',
    es: 'Víctimas de delitos del SESNSP por entidad y mes',
  },
  publisher:
    'SESNSP (Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública), new methodology; long layout by isaacarroyov/datos_facil_acceso',
  licence: 'SESNSP open data (free reuse with attribution)',
  attribution: 'SESNSP, Víctimas de delitos del fuero común (nueva metodología)',
  landing: 'https://www.gob.mx/sesnsp/acciones-y-programas/datos-abiertos-de-incidencia-delictiva',
  measures: [
    'homicide_victims',
    'femicide_victims',
    'kidnapping_victims',
    'extortion_victims',
    'crime_victims',
  ],
  kind: 'observations',
  // Every row is a state's month: kept once on the vintage, not on 927,360 rows (see Source.constant).
  constant: { geo_level: 'state', granularity: 'month' },
  // Five dimensions on 927,360 rows: typed columns, not a map (see Source.dimensions).
  dimensions: ['crime_type', 'crime_subtype', 'modality', 'sex', 'age_group'],
  // One row per data line, in file order: the line numbers come from row order (Source.linesByOrder).
  linesByOrder: true,
  layouts: [
    {
      name: 'victims-long',
      delimiter: ',',
      header: [
        'date_year_month',
        'n_year',
        'n_month',
        'cve_ent',
        'nombre_estado',
        'bien_juridico_afectado',
        'tipo_de_delito',
        'subtipo_de_delito',
        'modalidad',
        'genero',
        'rango_de_edad',
        'n_victimas',
      ],
    },
  ],
  staging: (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter, undefined, false)}),
    typed as (
      select *, ${wholeNumber('n_year')} as y, ${wholeNumber('n_month')} as m,
        trim(cve_ent) as code, try_cast(trim(n_victimas) as double) as v
      from raw)
    select
      case trim(subtipo_de_delito)
        when 'Homicidio doloso' then 'homicide_victims'
        when 'Feminicidio' then 'femicide_victims'
        when 'Secuestro' then 'kidnapping_victims'
        when 'Extorsión' then 'extortion_victims'
        else 'crime_victims' end as measure,
      'state' as geo_level, lpad(code, 2, '0') as geo, 'month' as granularity,
      case when y between 1800 and 2200 and m between 1 and 12 then make_date(y, m, 1) end as period,
      v as value,
      trim(tipo_de_delito) as dim_crime_type, trim(subtipo_de_delito) as dim_crime_subtype,
      trim(modalidad) as dim_modality, trim(genero) as dim_sex, trim(rango_de_edad) as dim_age_group,
      ${rejectColumns([
        {
          when: "not regexp_full_match(coalesce(code, ''), '\\d{1,2}') or code::integer not between 1 and 32",
          column: "'cve_ent'",
          value: 'cve_ent',
          reason: rejectReason('notStateCode'),
        },
        {
          when: 'y is null or y not between 1800 and 2200',
          column: "'n_year'",
          value: 'n_year',
          reason: rejectReason('notAYear'),
        },
        {
          when: 'm is null or m not between 1 and 12',
          column: "'n_month'",
          value: 'n_month',
          reason: rejectReason('monthRange'),
        },
        {
          when: "coalesce(trim(subtipo_de_delito), '') = ''",
          column: "'subtipo_de_delito'",
          value: 'subtipo_de_delito',
          reason: rejectReason('emptyCrimeSubtype'),
        },
        {
          when: 'v is null',
          column: "'n_victimas'",
          value: 'n_victimas',
          reason: rejectReason('notANumber'),
        },
        { when: 'v < 0', column: "'n_victimas'", value: 'n_victimas', reason: rejectReason('negativeCount') },
        {
          when: 'v != floor(v)',
          column: "'n_victimas'",
          value: 'n_victimas',
          reason: rejectReason('notWholeNumber'),
        },
      ])}
    from typed`,
};
