/**
 * CONAPO population estimates and projections: by state and month (interpolated), and by state, year and
 * sex with national rows (`00`, stored as `MX`).
 * @module
 */
import {
  readCsvText,
  rejectColumns,
  sqlString,
  wholeNumber,
  type Source,
  type SourceLayout,
} from '../source.js';
import { rejectReason } from '../reject-reasons.js';

const LICENCE = 'CONAPO open data (free reuse with attribution)';
const ATTRIBUTION = 'CONAPO, Proyecciones de la Población de México y de las Entidades Federativas (2023)';

export const conapoPopulationStateMonthly: Source = {
  country: 'MX',
  id: 'conapo-population-state-monthly',
  title: { en: 'CONAPO population by state and month', es: 'Población de CONAPO por entidad y mes' },
  publisher: 'CONAPO (Consejo Nacional de Población); monthly interpolation by diegovalle/new.crimenmexico',
  licence: LICENCE,
  attribution: ATTRIBUTION,
  landing:
    'https://www.gob.mx/conapo/documentos/bases-de-datos-de-la-conciliacion-demografica-1950-a-2019-y-proyecciones-de-la-poblacion-de-mexico-2020-a-2070',
  measures: ['population'],
  kind: 'observations',
  layouts: [{ name: 'state-month', delimiter: ',', header: ['state_code', 'date', 'population'] }],
  staging: (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)}),
    typed as (
      select line, state_code, date, population,
        ${wholeNumber('state_code')} as s, try_cast(trim(date) as date) as d,
        try_cast(trim(population) as double) as v
      from raw)
    select line, 'population' as measure, 'state' as geo_level, lpad(s::varchar, 2, '0') as geo,
      'month' as granularity, date_trunc('month', d)::date as period, v as value,
      MAP {}::MAP(VARCHAR, VARCHAR) as dims,
      case when s is null or s not between 1 and 32 then 'state_code' when d is null then 'date'
           when v is null or v < 0 then 'population' end as reject_column,
      case when s is null or s not between 1 and 32 then state_code when d is null then date
           when v is null or v < 0 then population end as reject_value,
      case when s is null or s not between 1 and 32 then ${sqlString(rejectReason('notStateCode'))}
           when d is null then ${sqlString(rejectReason('notADate'))} when v is null then ${sqlString(rejectReason('notANumber'))}
           when v < 0 then ${sqlString(rejectReason('negativePopulation'))} end as reject_reason
    from typed`,
};

export const conapoPopulationState: Source = {
  country: 'MX',
  id: 'conapo-population-state',
  title: {
    en: 'CONAPO population by state, year and sex',
    es: 'Población de CONAPO por entidad, año y sexo',
  },
  publisher: 'CONAPO (Consejo Nacional de Población); tidy layout by isaacarroyov/datos_facil_acceso',
  licence: LICENCE,
  attribution: ATTRIBUTION,
  landing: conapoPopulationStateMonthly.landing,
  measures: ['population'],
  kind: 'observations',
  // Total rows have no sex (the dimension-free figures rates use); the others a typed column.
  dimensions: ['sex'],
  layouts: [
    {
      name: 'state-year-sex',
      delimiter: ',',
      header: ['n_year', 'nombre_estado', 'cve_ent', 'genero', 'pob_start_year', 'pob_mid_year'],
    },
  ],
  // Mid-year population; `Total` rows become the dimension-free figures that rates use.
  staging: (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)}),
    typed as (
      select line, n_year, cve_ent, genero, pob_mid_year,
        ${wholeNumber('n_year')} as y, trim(cve_ent) as code, trim(genero) as sex_text,
        try_cast(trim(pob_mid_year) as double) as v
      from raw),
    checked as (
      select *,
        case when y is null or y not between 1800 and 2200 then 'n_year'
             when not regexp_full_match(coalesce(code, ''), '\\d{1,2}') or code::integer > 32 then 'cve_ent'
             when sex_text not in ('Hombres', 'Mujeres', 'Total') or sex_text is null then 'genero'
             when v is null or v < 0 then 'pob_mid_year' end as reject_column
      from typed)
    select line, 'population' as measure,
      case when lpad(code, 2, '0') = '00' then 'country' else 'state' end as geo_level,
      case when lpad(code, 2, '0') = '00' then 'MX' else lpad(code, 2, '0') end as geo,
      'year' as granularity, case when reject_column is null then make_date(y, 1, 1) end as period, v as value,
      case sex_text when 'Hombres' then 'male' when 'Mujeres' then 'female' end as dim_sex,
      reject_column,
      case reject_column when 'n_year' then n_year when 'cve_ent' then cve_ent when 'genero' then genero
           when 'pob_mid_year' then pob_mid_year end as reject_value,
      case reject_column when 'n_year' then ${sqlString(rejectReason('notAYear'))} when 'cve_ent' then ${sqlString(rejectReason('notStateCode00'))}
           when 'genero' then ${sqlString(rejectReason('sexSpanish'))}
           when 'pob_mid_year' then ${sqlString(rejectReason('notNonNegative'))} end as reject_reason
    from checked`,
};

/** `code` and `population` in either order: the two files of the 2010-based series differ. */
const municipalStaging = (csv: string, layout: SourceLayout) => `
    with raw as (${readCsvText(csv, layout.delimiter)}),
    typed as (
      select line, code, population, sex, year,
        try_cast(trim(code) as double) as c, ${wholeNumber('year')} as y, trim(sex) as sex_text,
        try_cast(trim(population) as double) as v
      from raw)
    select line, 'population' as measure, 'municipality' as geo_level, lpad(c::bigint::varchar, 5, '0') as geo,
      'year' as granularity, case when y between 1800 and 2200 then make_date(y, 1, 1) end as period, v as value,
      case sex_text when 'Males' then 'male' when 'Females' then 'female' end as dim_sex,
      ${rejectColumns([
        {
          when: 'c is null or c != floor(c) or c not between 1001 and 32999',
          column: "'Code'",
          value: 'code',
          reason: rejectReason('conapoMunicipality'),
        },
        {
          when: 'y is null or y not between 1800 and 2200',
          column: "'Year'",
          value: 'year',
          reason: rejectReason('notAYear'),
        },
        {
          when: "sex_text is null or sex_text not in ('Total', 'Males', 'Females')",
          column: "'Sex'",
          value: 'sex',
          reason: rejectReason('sexEnglish'),
        },
        // An empty cell is a year the file does not cover (1990–2009 has none for 2007–2009): skipped.
        {
          when: "v is null and coalesce(trim(population), '') != ''",
          column: "'Population'",
          value: 'population',
          reason: rejectReason('notANumber'),
        },
        {
          when: 'v < 0',
          column: "'Population'",
          value: 'population',
          reason: rejectReason('negativePopulation'),
        },
      ])}
    from typed`;

export const conapoPopulationMunicipal: Source = {
  country: 'MX',
  id: 'conapo-population-municipal',
  title: {
    en: 'CONAPO population by municipality, year and sex (2010-based projections)',
    es: 'Población de CONAPO por municipio, año y sexo (proyecciones base 2010)',
  },
  publisher:
    'CONAPO (Consejo Nacional de Población), 2010-based projections; tidy layout by diegovalle/conapo-2010',
  licence: LICENCE,
  attribution: 'CONAPO, Proyecciones de la población de los municipios de México 2010–2030',
  landing:
    'https://www.gob.mx/conapo/documentos/proyecciones-de-la-poblacion-de-los-municipios-de-mexico-2015-2030',
  measures: ['population'],
  kind: 'observations',
  // Total rows have no sex (the dimension-free figures rates use); the others a typed column.
  dimensions: ['sex'],
  layouts: [
    { name: 'municipal-code-first', delimiter: ',', header: ['code', 'population', 'sex', 'year'] },
    { name: 'municipal-population-first', delimiter: ',', header: ['population', 'code', 'sex', 'year'] },
  ],
  staging: municipalStaging,
};
