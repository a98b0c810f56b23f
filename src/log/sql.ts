// Queries as values, written once for both databases (kysely's `sql` template in
// miniature): text and parameters stay apart until a dialect compiles them into
// its own placeholders (`?` for SQLite, `$1` for PostgreSQL). Nothing rewrites
// SQL text after the fact.

export class Sql {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The text with `placeholder(i)` for the i-th value (0-based), and the values in order. */
  compile(placeholder: (i: number) => string): { text: string; values: unknown[] } {
    let text = this.parts[0]!;
    for (let i = 0; i < this.values.length; i++) text += placeholder(i) + this.parts[i + 1]!;
    return { text, values: [...this.values] };
  }
}

type Piece = Sql | string | number | boolean | null | undefined;

/** `sql\`SELECT … WHERE id = ${id}\``: interpolated values are parameters; interpolated Sql fragments are spliced in. */
export function sql(strings: TemplateStringsArray, ...pieces: readonly Piece[]): Sql {
  const parts: string[] = [strings[0]!];
  const values: unknown[] = [];
  pieces.forEach((piece, i) => {
    const next = strings[i + 1]!;
    if (piece instanceof Sql) {
      parts[parts.length - 1] += piece.parts[0]!;
      for (let j = 0; j < piece.values.length; j++) {
        values.push(piece.values[j]);
        parts.push(piece.parts[j + 1]!);
      }
      parts[parts.length - 1] += next;
    } else {
      values.push(piece ?? null);
      parts.push(next);
    }
  });
  return new Sql(parts, values);
}

/** Trusted text (identifiers and fragments from this code, never user input). */
sql.raw = (text: string): Sql => new Sql([text], []);

/** Fragments joined by a separator (empty list: empty text). */
sql.join = (fragments: readonly Sql[], separator = ', '): Sql =>
  fragments.reduce<Sql>((all, f, i) => (i === 0 ? f : sql`${all}${sql.raw(separator)}${f}`), sql.raw(''));

/** Column names, double-quoted: `by` is a keyword in PostgreSQL, and SQLite reads "x" alike. */
sql.columns = (names: readonly string[]): Sql => sql.raw(names.map((n) => `"${n}"`).join(', '));
