// Seeded generator for the benchmark inputs: a capabilities file of SKUS products
// over LOCATIONS locations, and an NDJSON batch of promises against it. The same
// seed gives the same files, so anyone can reproduce the figures.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['DE', 'AT', 'CH', 'FR', 'NL', 'BE', 'LU', 'IT', 'ES', 'PT', 'PL', 'CZ', 'SK', 'HU', 'DK', 'SE', 'NO', 'FI', 'GB', 'IE'];

export function generateCapabilities(file, { skus = 10_000, locations = 20, seed = 1 } = {}) {
  const rand = mulberry32(seed);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const out = [
    'version: 1',
    'company: Benchmark Industries',
    'timezone: Europe/Berlin',
    'calendar:',
    '  workdays: [mon, tue, wed, thu, fri]',
    '  holidays: [2026-12-24, 2026-12-25, 2026-12-26, 2026-12-31, 2027-01-01]',
    'policy:',
    '  safety_days: 1',
    'locations:',
  ];
  for (let l = 0; l < locations; l++) {
    out.push(`  - id: loc${l}`, `    cutoff: "${String(10 + (l % 6)).padStart(2, '0')}:00"`, `    handling_days: ${l % 3}`, '    lanes:');
    const home = REGIONS[l % REGIONS.length];
    const near = [home, REGIONS[(l + 1) % REGIONS.length], REGIONS[(l + 2) % REGIONS.length]];
    out.push(`      - { to: [${near.join(', ')}], method: standard, transit_days: ${1 + (l % 3)} }`);
    out.push(`      - { to: [${home}], method: express, transit_days: 1 }`);
    const far = REGIONS.filter((r) => !near.includes(r)).filter(() => rand() < 0.5);
    if (far.length) out.push(`      - { to: [${far.join(', ')}], method: freight, transit_days: ${4 + (l % 4)} }`);
  }
  out.push('products:');
  for (let s = 0; s < skus; s++) {
    out.push(`  - sku: SKU-${String(s).padStart(5, '0')}`, `    name: Product ${s}`, '    stock:');
    const at = new Set();
    while (at.size < 3) at.add(Math.floor(rand() * locations));
    for (const l of at) {
      const incoming =
        rand() < 0.5 ? `, incoming: [{ date: 2026-12-${String(1 + Math.floor(rand() * 20)).padStart(2, '0')}, qty: ${100 + Math.floor(rand() * 900)} }]` : '';
      out.push(`      loc${l}: { on_hand: ${500 + Math.floor(rand() * 5000)}${incoming} }`);
    }
    if (s % 10 === 0) out.push(`    make_to_order: { location: loc${pick([...at])}, lead_days: ${10 + (s % 20)}, capacity_per_week: ${20 + (s % 50)} }`);
  }
  out.push('services:', '  - id: support', `    regions: [${REGIONS.join(', ')}]`, '    hours: 24x7', '    response_hours: 2');
  writeFileSync(file, `${out.join('\n')}\n`);
}

export function generateBatch(file, { lines = 100_000, skus = 10_000, seed = 2 } = {}) {
  const rand = mulberry32(seed);
  const chunks = [];
  for (let i = 0; i < lines; i++) {
    const day = 1 + Math.floor(rand() * 28);
    chunks.push(
      JSON.stringify({
        sku: `SKU-${String(Math.floor(rand() * skus)).padStart(5, '0')}`,
        qty: 1 + Math.floor(rand() * 20),
        to: REGIONS[Math.floor(rand() * REGIONS.length)],
        by: `2026-12-${String(day).padStart(2, '0')}`,
        customer: `customer-${Math.floor(rand() * 500)}`,
      }),
    );
  }
  writeFileSync(file, `${chunks.join('\n')}\n`);
}

/**
 * A company whose supply comes from ERP exports (FEEDS.md): a small YAML of policy
 * beside products.csv (SKUS rows), stock.csv (3 locations a product) and
 * incoming.csv (INCOMING rows), as bench/README.md describes.
 */
export function generateFeedCompany(dir, { skus = 100_000, locations = 20, incoming = 100_000, seed = 3 } = {}) {
  const rand = mulberry32(seed);
  mkdirSync(dir, { recursive: true });
  const yaml = join(dir, 'capabilities.yaml');
  generateCapabilities(yaml, { skus: 0, locations, seed });
  const text = readFileSync(yaml, 'utf8').replace('products:\n', '');
  writeFileSync(yaml, text.replace('locations:\n', 'supply:\n  products: products.csv\n  stock: stock.csv\n  incoming: incoming.csv\nlocations:\n'));
  const sku = (s) => `SKU-${String(s).padStart(6, '0')}`;
  const products = ['sku,name,replenishment_location,replenishment_days'];
  const stock = ['sku,location,on_hand,as_of'];
  for (let s = 0; s < skus; s++) {
    const at = new Set();
    while (at.size < 3) at.add(Math.floor(rand() * locations));
    const [first] = at;
    products.push(`${sku(s)},"Product ${s}, standard",${s % 4 === 0 ? `loc${first},${5 + (s % 20)}` : ','}`);
    for (const l of at) stock.push(`${sku(s)},loc${l},${500 + Math.floor(rand() * 5000)},2026-11-23T0${Math.floor(rand() * 8)}:00`);
  }
  const lots = ['sku,location,qty,date,ref'];
  for (let i = 0; i < incoming; i++) {
    const s = Math.floor(rand() * skus);
    lots.push(
      `${sku(s)},loc${Math.floor(rand() * locations)},${100 + Math.floor(rand() * 900)},2026-12-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')},PO-${i}`,
    );
  }
  writeFileSync(join(dir, 'products.csv'), `${products.join('\n')}\n`);
  writeFileSync(join(dir, 'stock.csv'), `${stock.join('\n')}\n`);
  writeFileSync(join(dir, 'incoming.csv'), `${lots.join('\n')}\n`);
}
