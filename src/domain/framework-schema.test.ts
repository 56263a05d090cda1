import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { safeParseInput, zodIssues } from './common-schema.js';
import {
  CROSSWALK_FORMAT,
  CrosswalkFile,
  FRAMEWORK_FORMAT,
  FrameworkFile,
  FrameworkNode,
  Relation,
} from './framework-schema.js';

function check(schema: z.ZodType, input: unknown): { data: unknown } | { issues: unknown } {
  const parsed = safeParseInput(schema, input);
  return parsed.success
    ? { data: parsed.data }
    : { issues: zodIssues(parsed.error).map(({ path, message }) => ({ path, message })) };
}

const refused = (path: string, message: string) => ({ issues: [{ path, message }] });
const text = (en: string, es: string) => ({ en, es });
const UNKNOWN = (key: string) =>
  `unknown field "${key}"; check the spelling against docs/workspace-format.md`;

const LEAF = { code: '1.1.1', level: 'joint_objective', title: text('Objective', 'Objetivo') };

const FRAMEWORK = {
  marco: 'framework/1',
  code: 'bicentennial',
  edition: '2022-01-31 (partial)',
  title: text('Bicentennial Framework', 'Entendimiento Bicentenario'),
  description: { en: 'Security cooperation' },
  source: 'U.S. Department of State, 2021',
  official: true,
  note: { es: 'Traducción de trabajo' },
  owner: { country: 'US', agency: 'INL' },
  levels: ['goal', 'cooperation_area', 'joint_objective'],
  nodes: [
    {
      code: '1',
      level: 'goal',
      title: text('Protect Our People', 'Proteger a nuestra gente'),
      description: { en: 'Healthy communities', es: 'Comunidades saludables' },
      children: [
        { code: '1.1', level: 'cooperation_area', title: text('Health', 'Salud'), children: [LEAF] },
      ],
    },
    { code: '2', level: 'goal', title: text('Prevent', 'Prevenir'), children: [] },
  ],
};

const CROSSWALK = {
  marco: 'crosswalk/1',
  basis: 'analytical',
  note: { en: 'Drawn by analysts' },
  owner: { country: 'MX', agency: 'SRE' },
  links: [
    { from: 'merida:1', to: 'bicentennial:1.1', relation: 'broader', note: { es: 'Amplio' } },
    { from: 'merida:2', to: 'bicentennial:2', relation: 'equivalent' },
  ],
};

describe('FrameworkFile', () => {
  it('accepts a file that uses every field, nodes nested three deep', () => {
    expect(FRAMEWORK_FORMAT).toBe('framework/1');
    expect(check(FrameworkFile, FRAMEWORK)).toEqual({ data: FRAMEWORK });
  });

  it('accepts the least a file can hold: one level and one node', () => {
    const minimal = {
      marco: 'framework/1',
      code: 'm',
      edition: '2011',
      title: text('M', 'M'),
      source: 'S',
      official: false,
      owner: { country: 'MX', agency: 'SRE' },
      levels: ['pillar'],
      nodes: [{ code: '1', level: 'pillar', title: text('One', 'Uno') }],
    };
    expect(check(FrameworkFile, minimal)).toEqual({ data: minimal });
  });

  it('trims and normalises its text', () => {
    const parsed = check(FrameworkFile, {
      ...FRAMEWORK,
      edition: ' 2022 ',
      title: text('T ', ' Me\u0301rida'),
    });
    expect(parsed).toEqual({ data: { ...FRAMEWORK, edition: '2022', title: text('T', 'Mérida') } });
  });

  it('says what every required field needs in an empty file', () => {
    expect(check(FrameworkFile, {})).toEqual({
      issues: [
        { path: 'marco', message: 'expected one of "framework/1"' },
        { path: 'code', message: 'required: expected string' },
        { path: 'edition', message: 'required: expected string' },
        { path: 'title', message: 'required: expected object' },
        { path: 'source', message: 'required: expected string' },
        { path: 'official', message: 'required: expected boolean' },
        { path: 'owner', message: 'required: expected object' },
        { path: 'levels', message: 'required: expected array' },
        { path: 'nodes', message: 'required: expected array' },
      ],
    });
  });

  it('refuses a crosswalk format, no levels and no nodes', () => {
    expect(check(FrameworkFile, { ...FRAMEWORK, marco: 'crosswalk/1', levels: [], nodes: [] })).toEqual({
      issues: [
        { path: 'marco', message: 'expected one of "framework/1"' },
        { path: 'levels', message: 'expected at least 1 item' },
        { path: 'nodes', message: 'expected at least 1 item' },
      ],
    });
  });

  it('refuses a bad owner', () => {
    expect(check(FrameworkFile, { ...FRAMEWORK, owner: { country: 'CA', agency: 'INL', since: 1 } })).toEqual(
      {
        issues: [
          { path: 'owner.country', message: 'expected one of "US", "MX"' },
          { path: 'owner', message: UNKNOWN('since') },
        ],
      },
    );
    expect(check(FrameworkFile, { ...FRAMEWORK, owner: { country: 'US' } })).toEqual(
      refused('owner.agency', 'required: expected string'),
    );
  });

  it('refuses an unknown field and a non-boolean `official`', () => {
    expect(check(FrameworkFile, { ...FRAMEWORK, official: 'yes', version: 2 })).toEqual({
      issues: [
        { path: 'official', message: 'expected a boolean' },
        { path: '', message: UNKNOWN('version') },
      ],
    });
  });

  it('locates a problem in a nested node, such as a code YAML read as a number', () => {
    const nodes = [
      FRAMEWORK.nodes[0],
      {
        code: '2',
        level: 'goal',
        title: text('Two', 'Dos'),
        children: [
          { ...LEAF, code: 2.1 },
          { ...LEAF, title: { en: 'Only English' } },
        ],
      },
    ];
    expect(check(FrameworkFile, { ...FRAMEWORK, nodes })).toEqual({
      issues: [
        { path: 'nodes[1].children[0].code', message: 'expected a string' },
        { path: 'nodes[1].children[1].title.es', message: 'required: expected string' },
      ],
    });
  });
});

describe('FrameworkNode', () => {
  it('accepts a node and its children, recursively', () => {
    const node = { ...LEAF, children: [{ ...LEAF, code: 'a', children: [{ ...LEAF, code: 'b' }] }] };
    expect(check(FrameworkNode, node)).toEqual({ data: node });
  });

  it('refuses a bad level code, an unknown field and children that are not a list', () => {
    expect(check(FrameworkNode, { ...LEAF, level: 'joint objective', parent: '1', children: {} })).toEqual({
      issues: [
        {
          path: 'level',
          message:
            'expected a code of letters, digits, ".", "_" or "-" (at most 64 characters, starting with a letter or digit)',
        },
        { path: 'children', message: 'expected an array' },
        { path: '', message: UNKNOWN('parent') },
      ],
    });
  });
});

describe('CrosswalkFile', () => {
  it('accepts a file that uses every field', () => {
    expect(CROSSWALK_FORMAT).toBe('crosswalk/1');
    expect(check(CrosswalkFile, CROSSWALK)).toEqual({ data: CROSSWALK });
  });

  it('has an official or an analytical basis', () => {
    const official = { ...CROSSWALK, basis: 'official', note: undefined };
    expect(check(CrosswalkFile, official)).toEqual({ data: official });
    expect(check(CrosswalkFile, { ...CROSSWALK, basis: 'informal' })).toEqual(
      refused('basis', 'expected one of "official", "analytical"'),
    );
  });

  it('lists the relations', () => {
    expect(Relation.options).toEqual(['equivalent', 'broader', 'narrower', 'related']);
    const links = Relation.options.map((relation) => ({ from: 'a:1', to: 'b:2', relation }));
    expect(check(CrosswalkFile, { ...CROSSWALK, links })).toEqual({ data: { ...CROSSWALK, links } });
    expect(
      check(CrosswalkFile, { ...CROSSWALK, links: [{ from: 'a:1', to: 'b:2', relation: 'same' }] }),
    ).toEqual(refused('links[0].relation', 'expected one of "equivalent", "broader", "narrower", "related"'));
  });

  it('needs at least one link, each between node references', () => {
    expect(check(CrosswalkFile, { ...CROSSWALK, links: [] })).toEqual(
      refused('links', 'expected at least 1 item'),
    );
    expect(
      check(CrosswalkFile, {
        ...CROSSWALK,
        links: [CROSSWALK.links[0], { from: 'merida', to: 'bicentennial:1', relation: 'related', weight: 1 }],
      }),
    ).toEqual({
      issues: [
        {
          path: 'links[1].from',
          message: 'expected a framework node reference FRAMEWORK:NODE, for example bicentennial:1.1.1',
        },
        { path: 'links[1]', message: UNKNOWN('weight') },
      ],
    });
  });

  it('refuses a framework format and an unknown field', () => {
    expect(check(CrosswalkFile, { ...CROSSWALK, marco: 'framework/1', levels: ['x'] })).toEqual({
      issues: [
        { path: 'marco', message: 'expected one of "crosswalk/1"' },
        { path: '', message: UNKNOWN('levels') },
      ],
    });
  });
});
