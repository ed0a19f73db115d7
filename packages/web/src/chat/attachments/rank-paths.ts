/**
 * Project paths matching what was typed, best first. Every character of the query must appear in
 * order (case-insensitive). The query inside the file name ranks first (at its start, higher);
 * otherwise matches in the name, at word starts and in a run score higher. Shorter paths win ties. An empty query lists paths as given.
 */
export function rankPaths(paths: readonly string[], query: string, limit: number): string[] {
  const needle = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!needle) return paths.slice(0, limit);
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = matchScore(path, needle);
    if (score !== null) scored.push({ path, score });
  }
  scored.sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((entry) => entry.path);
}

function matchScore(path: string, needle: string): number | null {
  const haystack = path.toLowerCase();
  const nameStart = haystack.lastIndexOf('/') + 1;
  const inName = haystack.indexOf(needle, nameStart);
  if (inName >= 0) return (inName === nameStart ? 2_000 : 1_000) - (haystack.length - nameStart);
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of needle) {
    const at = haystack.indexOf(char, from);
    if (at < 0) return null;
    if (at === previous + 1) score += 5;
    if (at === 0 || '/._-'.includes(haystack[at - 1]!)) score += 3;
    if (at >= nameStart) score += 2;
    previous = at;
    from = at + 1;
  }
  return score;
}
