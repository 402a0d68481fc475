import { describe, expect, it } from '@jest/globals';
import dotenv from 'dotenv';
import { readEnvFile } from '../../src/read/env-file.js';

function asObject(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readEnvFile(text, '.env').entries) out[e.name] = e.value;
  return out;
}

const ODD_CASES = [
  'A=1',
  'export A=1',
  'A = spaced  ',
  'A: colon',
  "A='single # not a comment'",
  'A="double\\nnewline"',
  'A=`backtick`',
  'A=unquoted # comment',
  'A=#starts with hash',
  'A="multi\nline\nvalue"',
  'A=1\nA=2',
  'A=\nB=2',
  'A="unterminated\nB=2',
  "A='x' trailing",
  'A.B-C=dots',
  '  # comment\n\nA=1\r\nB=2\r\n',
  'export=1',
  'A="quote \\" inside"',
  'A=x=y=z',
  'not a line\nA=1',
  'A= "leading space quoted"',
];

describe('readEnvFile follows dotenv exactly', () => {
  it.each(ODD_CASES)('%j', (text) => {
    expect(asObject(text)).toEqual(dotenv.parse(text));
  });

  it('agrees with dotenv.parse on generated files', () => {
    const pieces = ['A', 'B_2', 'export C', ' D', '=', ': ', '"', "'", '`', '#', ' ', 'x', 'y z', '\\n', '\n', '\r\n', '.', '-'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const length = 1 + Math.floor(rand() * 14);
      for (let j = 0; j < length; j++) text += pieces[Math.floor(rand() * pieces.length)];
      expect(asObject(text)).toEqual(dotenv.parse(text));
    }
  });
});

describe('readEnvFile positions and problems', () => {
  it('gives the line and column of each name', () => {
    const file = readEnvFile('# header\n\nexport  FIRST=1\n   SECOND="a\nb"\nTHIRD=3\n', '.env');
    expect(file.entries.map((e) => [e.name, e.line, e.column])).toEqual([
      ['FIRST', 3, 9],
      ['SECOND', 4, 4],
      ['THIRD', 6, 1],
    ]);
  });

  it('takes `export NAME=value` as a value, not an ignored line', () => {
    const file = readEnvFile('export A=1\n\t export   B="2"\nexport\n', '.env');
    expect(file.entries.map((e) => [e.name, e.value, e.line, e.column])).toEqual([['A', '1', 1, 8], ['B', '2', 2, 12]]);
    expect(file.problems).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/not a NAME=value line/) })]);
  });

  it('names lines dotenv silently ignores and quotes never closed', () => {
    const file = readEnvFile('GOOD=1\nthis is not an assignment\nBAD="open\n', '.env');
    expect(file.problems).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringMatching(/not a NAME=value line/) }),
      expect.objectContaining({ line: 3, message: expect.stringMatching(/BAD: the value opens a " quote that is never closed/) }),
    ]);
  });

  it('reads a 30 MB quoted value, too long for the line expression, and goes on after it', () => {
    const big = `BIG="${'x'.repeat(30 * 1024 * 1024)}"\nAFTER=1\n`;
    const file = readEnvFile(big, '.env');
    expect(file.entries.map((e) => [e.name, e.value.length, e.line])).toEqual([['BIG', 30 * 1024 * 1024, 1], ['AFTER', 1, 2]]);
    expect(file.problems).toEqual([]);
  });

  it('reads a 30 MB single-line value', () => {
    const big = `BIG=${'x'.repeat(30 * 1024 * 1024)}\nAFTER=1\n`;
    const file = readEnvFile(big, '.env');
    expect(file.entries.map((e) => e.name)).toEqual(['BIG', 'AFTER']);
  });
});
