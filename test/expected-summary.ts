/** The rating summary the API must answer for a song whose stored ratings are `stars`, computed here from them. */
export function expectedSummary (songId: string, stars: number[]) {
  const distribution = Object.fromEntries([1, 2, 3, 4, 5].map(n => [`${n}`, stars.filter(s => s === n).length]))
  if (stars.length === 0) return { song_id: songId, average: null, lowest: null, highest: null, count: 0, distribution }
  return {
    song_id: songId,
    average: stars.reduce((a, b) => a + b, 0) / stars.length,
    lowest: Math.min(...stars),
    highest: Math.max(...stars),
    count: stars.length,
    distribution
  }
}
