// "Did you mean …?": the nearest names by edit distance, for typos in SKUs, keys, ids.

export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  const limit = Math.max(2, Math.floor(w.length / 3));
  for (const name of candidates) {
    const n = name.toLowerCase();
    // A prefix or containment is a strong hint even when the edit distance is large.
    const contains = n.startsWith(w) || w.startsWith(n) || n.includes(w);
    // The distance is at least the difference in length: skip the quadratic work (catalogues have 100,000 names).
    if (!contains && Math.abs(n.length - w.length) > limit) continue;
    const distance = editDistance(w, n);
    const score = contains ? Math.min(distance, 1) : distance;
    if (score <= limit) scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closest(word, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
