// `promise log grant` (TEAM.md "Least privilege is a command"): the grants of a
// role, written out from what it does. The tool appends to the chains (checks,
// events), keeps texts (capabilities, feeds) and deliveries; the database derives
// everything else (migration 9), so no role but the owner's writes any of it.
export const GRANT_KINDS = ['rep', 'ops', 'owner'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

/** Where the log's tables are, and the role that owns them. */
export interface LogOwnership {
  database: string;
  schema: string;
  owner: string;
}

const READ = ['promise_schema', 'capabilities', 'feeds', 'checks', 'events', 'commitments', 'holds', 'chain_heads', 'delivered', 'lateness'];

/** What each kind of role may add to the log; everything else it may only read. */
const APPENDS: Record<Exclude<GrantKind, 'owner'>, string[]> = {
  // Checks and their texts, commitment events (commit, confirm, release, outcome, re-plans), deliveries.
  rep: ['capabilities', 'feeds', 'checks', 'events', 'delivered'],
  // Operations: what happened to commitments (release, outcome, recheck --apply), never a check.
  ops: ['events', 'delivered'],
};

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The statements, in order; each stands alone (psql runs them as printed). */
export function grantStatements(role: string, kind: GrantKind, on: LogOwnership): string[] {
  const who = quoteIdent(role);
  const schema = quoteIdent(on.schema);
  const tables = (names: string[]) => names.map((t) => `${schema}.${quoteIdent(t)}`).join(', ');
  if (kind === 'owner') {
    // Acting as the owner: migrations, tokens, and rows recorded as any rep (promise serve records each token's).
    return [`GRANT ${quoteIdent(on.owner)} TO ${who};`];
  }
  return [
    // From nothing, so a role moved from ops to rep (or back, or from owner) has exactly what it is now.
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${who};`,
    `REVOKE ${quoteIdent(on.owner)} FROM ${who};`,
    `GRANT CONNECT ON DATABASE ${quoteIdent(on.database)} TO ${who};`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${who};`,
    `GRANT SELECT ON ${tables(READ)} TO ${who};`,
    `GRANT INSERT ON ${tables(APPENDS[kind])} TO ${who};`,
  ];
}
