// The hand-off as an iCalendar feed (RFC 5545): one all-day event per shipment
// on its ship date. UIDs are stable (check id, part, and a tag of the log), and
// DTSTAMP is when the commitment was made, so a calendar that subscribes updates
// events in place instead of duplicating them.
import type { Shipment } from './handoff.js';

const CRLF = '\r\n';

/** RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks are escaped in TEXT. */
const text = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

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

export function calendar(shipments: readonly Shipment[], logTag: string): string {
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
    lines.push(
      'BEGIN:VEVENT',
      `UID:promise-${s.id}-${s.part}@${logTag}.promise`,
      `DTSTAMP:${stamp(s.committed_at)}`,
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
