// promise replay ID: re-runs a past check on the capabilities it recorded (the
// log keeps their text), its `now` and the commitments open at the time, and
// says whether the result is the same.

import type { Io } from '../../cli/io.js';
import { ledgerAsOf } from '../../cli/openCommitments.js';
import type { CommonOptions } from '../../cli/options.js';
import { capabilitiesAsRecorded, recordedCheck } from '../../cli/session.js';
import { check } from '../../core/checkPromise.js';
import { historyView } from '../../core/learn/evidence.js';
import { historyOf } from '../../core/learn/stats.js';
import { compile } from '../../core/model.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { outcomeJson, parseOutcome } from '../../log/outcomeJson.js';

export async function runReplay(idText: string, opts: CommonOptions, io: Io): Promise<ExitCode> {
  const { log, row } = await recordedCheck(idText, opts, io);
  const loaded = await capabilitiesAsRecorded(log, row);
  const recorded = parseOutcome(row.verdict, row.promise, row.result);
  // The delivery history as the check saw it: outcomes recorded before it.
  const history = historyOf(await log.lateness(undefined, row.events_seen));
  const compiled = compile(loaded.caps, loaded.catalogue);
  const model = history.size > 0 ? { ...compiled, history: historyView(history) } : compiled;
  const now = new Date(row.now);
  // The ledger the check saw: its sku's holds for a delivery, re-planned as the check re-planned them.
  const sku = recorded.promise.kind === 'delivery' ? recorded.promise.sku : undefined;
  const again = check(model, recorded.promise, await ledgerAsOf(log, model, row.events_seen, row.now.slice(0, 10), now, sku), now);
  // Compared as the log stores them, piece by piece.
  const [before, after] = [outcomeJson(recorded), outcomeJson(again)];
  const differences = (['verdict', 'plan', 'reasons', 'alternatives', 'holds', 'alternativeHolds'] as const).filter((k) => before[k] !== after[k]);
  const same = differences.length === 0;
  const id = row.id;
  if (opts.json) {
    io.out.write(
      `${JSON.stringify({ id, same, differences, recorded: { verdict: recorded.verdict, tool_version: row.tool_version }, replayed: { verdict: again.verdict } })}\n`,
    );
  } else if (same) {
    io.out.write(`Check ${id} replays the same: ${again.verdict} (recorded by ${row.tool_version} at ${row.now})\n`);
  } else {
    io.out.write(
      `Check ${id} replays DIFFERENTLY (recorded ${recorded.verdict} by ${row.tool_version}, now ${again.verdict}); differs in: ${differences.join(', ')}\n`,
    );
  }
  return same ? EXIT.ok : EXIT.infeasible;
}
