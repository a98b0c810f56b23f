// The capabilities file `promise init` writes: one renderer for the guided
// answers and for the skeleton, every field explained by a comment, so a new
// company learns the format from its own file.

export interface Lane {
  to: string[];
  method: string;
  transit_days: number;
}

export interface Answers {
  company: string;
  timezone: string;
  workdays: string[];
  /** US, DE-BY, … or null for none. */
  publicHolidays: string | null;
  years: number[];
  locations: { id: string; name: string; cutoff: string; handling_days: number; lanes: Lane[] }[];
  product: { sku: string; name: string; on_hand: number } | null;
  /** The skeleton shows a service too; the guided questions leave services for later. */
  service: boolean;
}

/** YAML text for a scalar: plain when YAML reads it back as the same string, else double-quoted. */
const text = (s: string) => (/^[A-Za-z][\w .-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|~)$/i.test(s) ? s : JSON.stringify(s));
const list = (items: readonly string[]) => `[${items.map(text).join(', ')}]`;

export function render(a: Answers): string {
  const out: string[] = [
    '# What this company can promise: read by `promise check`, checked by `promise validate`.',
    '# Written by `promise init`; the format is explained field by field below.',
    'version: 1                      # the format of this file',
    `company: ${text(a.company)}`,
    `timezone: ${a.timezone}${' '.repeat(Math.max(1, 24 - a.timezone.length))}# IANA zone: every date, cut-off and holiday is in it`,
    '',
    'calendar:',
    `  workdays: ${list(a.workdays)}   # days the warehouse ships and the office works`,
    `  years: ${list(a.years.map(String)).replace(/"/g, '')}${' '.repeat(4)}# the years the holidays below cover: add next year before it starts`,
    a.publicHolidays
      ? `  public_holidays: [${a.publicHolidays}]     # a country's (or subdivision's) public holidays, from a maintained data set`
      : '  # public_holidays: [US]       # a country (or DE-BY, GB-SCT, …): its public holidays, from a maintained data set',
    "  holidays: []                  # the company's own closed days, YYYY-MM-DD, on top of the public ones",
    '',
    'policy:',
    '  safety_days: 1                # a delivery with fewer spare workdays than this before its date is at risk',
    '  response_margin_hours: 1      # a service promise needs this much slack over the response offered',
    '',
    'locations:                      # where stock is and ships from',
  ];
  for (const l of a.locations) {
    out.push(
      `  - id: ${text(l.id)}`,
      `    name: ${text(l.name)}`,
      `    cutoff: "${l.cutoff}"             # orders after this time ship from the next workday`,
      `    handling_days: ${l.handling_days}              # workdays to pick and pack before shipping`,
      '    lanes:                      # where it ships to: regions, method, transit workdays (cost: optional, breaks ties)',
      ...l.lanes.map((lane) => `      - { to: ${list(lane.to)}, method: ${text(lane.method)}, transit_days: ${lane.transit_days} }`),
    );
  }
  out.push('', 'products:                       # what can be sold: stock per location (make_to_order: for built products)');
  if (a.product) {
    out.push(
      `  - sku: ${text(a.product.sku)}`,
      `    name: ${text(a.product.name)}`,
      '    stock:',
      `      ${text(a.locations[0]!.id)}: { on_hand: ${a.product.on_hand} }   # incoming: [{ date: YYYY-MM-DD, qty: N }] for supply on its way`,
    );
  } else {
    out.push('  []');
  }
  if (a.service) {
    const regions = [...new Set(a.locations.flatMap((l) => l.lanes.flatMap((lane) => lane.to)))];
    out.push(
      '',
      'services:                       # what the company does on site or on the phone',
      '  - id: support',
      '    name: Support',
      `    regions: ${list(regions)}`,
      '    hours: { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00" }   # or 24x7',
      '    response_hours: 8           # business hours from a request to the answer',
    );
  }
  return `${out.join('\n')}\n`;
}
