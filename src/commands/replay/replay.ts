// promise replay ID: re-runs a past check on its recorded capabilities, `now` and
// the commitments open at the time, and says whether the result is the same.
import { parseCapabilities } from '../../capabilities/load.js';
import { EXIT, type ExitCode, usageError } from '../../errors.js';
import { parseId, requireLog } from '../../cli/logAccess.js';
import type { CommonOptions } from '../../cli/options.js';
import { check } from '../../core/check.js';
import { Ledger } from '../../core/commitments/ledger.js';
import { compile } from '../../core/model.js';
import { getCheck, outcomeOf } from '../../log/checks.js';
import { holdsAsOf } from '../../log/commitments.js';
import { outcomeJson } from '../../log/outcomeJson.js';

export function runReplay(idText: string, opts: CommonOptions): ExitCode {
  const id = parseId(idText);
  const { db, path } = requireLog(opts);
  const row = getCheck(db, id);
  if (!row) throw usageError(`no check ${id} in ${path}`);
  const content = db.prepare('SELECT content FROM capabilities WHERE sha256 = ?').get(row.capabilities_sha256) as { content: string } | undefined;
  if (!content) throw usageError(`check ${id}: its capabilities (${row.capabilities_sha256.slice(0, 12)}…) are missing from the log`);
  const now = new Date(row.now);
  const loaded = parseCapabilities(content.content, `${row.capabilities_path}@${row.capabilities_sha256.slice(0, 12)}`, now);
  if (!loaded.ok) throw usageError(`check ${id}: its recorded capabilities no longer validate: ${loaded.problems[0]?.message}`);
  const recorded = outcomeOf(row);
  const again = check(compile(loaded.value.caps), recorded.promise, Ledger.of(holdsAsOf(db, row.events_seen)), now);
  // Compared as the log stores them, piece by piece.
  const [before, after] = [outcomeJson(recorded), outcomeJson(again)];
  const differences = (['verdict', 'plan', 'reasons', 'alternatives', 'holds', 'alternativeHolds'] as const).filter((k) => before[k] !== after[k]);
  const same = differences.length === 0;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ id, same, differences, recorded: { verdict: recorded.verdict, tool_version: row.tool_version }, replayed: { verdict: again.verdict } })}\n`);
  } else if (same) {
    process.stdout.write(`Check ${id} replays the same: ${again.verdict} (recorded by ${row.tool_version} at ${row.now})\n`);
  } else {
    process.stdout.write(`Check ${id} replays DIFFERENTLY (recorded ${recorded.verdict} by ${row.tool_version}, now ${again.verdict}); differs in: ${differences.join(', ')}\n`);
  }
  return same ? EXIT.ok : EXIT.infeasible;
}
