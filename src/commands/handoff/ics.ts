// The hand-off as an iCalendar feed (RFC 5545): one all-day event per shipment
// on its ship date. A UID names the check by its content (see handoff.ts
// checkIdentity), not by the log's path or the check's id: `./log.db`, an
// absolute path, a symlink and a `log copy` of it all give the same UIDs, so a
// subscribed calendar updates events in place instead of duplicating them.
// SEQUENCE counts the commitment's events after the first (a confirm, a moved
// date) and LAST-MODIFIED is the last of them, so clients take the change.
import type { Shipment } from './handoff.js';

/** What the calendar needs of a shipment's commitment beyond the shipment. */
export interface EventMeta {
  /** Stable across paths and copies of the log (checkIdentity). */
  identity: string;
  /** Changes after the commitment was made: 0, then 1 after a confirm, … */
  sequence: number;
  /** When it last changed (ISO 8601). */
  lastModified: string;
}

const CRLF = '\r\n';

/**
 * RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks are escaped in
 * TEXT; a lone CR is a line break too. TEXT admits no other control character
 * (§3.1: CONTROL is everything below U+0020 but HTAB, and DEL): ESC, BEL and the
 * like are dropped, or sabre/vobject, python vobject and node-ical reject the feed.
 */
export const text = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, '\\n')
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '');

/** RFC 5545 §3.1: lines longer than 75 octets are folded (never inside a UTF-8 character). */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

const date = (iso: string) => iso.replace(/-/g, '');
const nextDay = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const stamp = (instant: string) => `${new Date(instant).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

export function calendar(shipments: readonly Shipment[], meta: (s: Shipment) => EventMeta): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//promise//hand-off//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Promised shipments',
  ];
  for (const s of shipments) {
    if (s.ship_date === null) continue; // a service has no shipment day
    const who = s.customer ? ` for ${s.customer}` : '';
    const details = [
      `Check ${s.id}${who}, promised by ${s.rep}.`,
      `Ship ${s.what} from ${s.location} by ${s.method}; arrives ${s.delivery_date}.`,
      s.status === 'held' ? `A quote held until ${s.hold_until}: not yet confirmed.` : 'Firm commitment.',
      ...(s.note ? [`Note: ${s.note}`] : []),
    ].join('\n');
    const m = meta(s);
    lines.push(
      'BEGIN:VEVENT',
      `UID:promise-${m.identity}-${s.part}@promise`,
      // A feed re-generated unchanged must be byte-identical: DTSTAMP is the last change, not the export.
      `DTSTAMP:${stamp(m.lastModified)}`,
      `LAST-MODIFIED:${stamp(m.lastModified)}`,
      `SEQUENCE:${m.sequence}`,
      `DTSTART;VALUE=DATE:${date(s.ship_date)}`,
      `DTEND;VALUE=DATE:${date(nextDay(s.ship_date))}`,
      `SUMMARY:${text(`Ship ${s.what} from ${s.location} (check ${s.id}${who})`)}`,
      `DESCRIPTION:${text(details)}`,
      `STATUS:${s.status === 'held' ? 'TENTATIVE' : 'CONFIRMED'}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join(CRLF)}${CRLF}`;
}
