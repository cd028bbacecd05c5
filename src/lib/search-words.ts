// Apostrophes join a word ("can't" is one word, "cant"); every other non-letter, non-digit separates words.
const APOSTROPHES = /['’ʼ`´]/gu
const SEPARATORS = /[^\p{L}\p{N}]+/u
const COMBINING_MARKS = /\p{M}/gu

/** Folds case and accents and splits on punctuation: `"Café-Olé, Can't!"` → `["cafe", "ole", "cant"]` (unique, in order). */
export function searchWords (text: string): string[] {
  // Apostrophes go before NFKD too, which turns "´" into a space and a mark, and after it, which turns "＇" into "'".
  const folded = text.replace(APOSTROPHES, '').normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(APOSTROPHES, '')
  return [...new Set(folded.split(SEPARATORS).filter(word => word.length > 0))]
}

/**
 * Every prefix of every word of the given texts. Stored as a multikey field, it turns
 * "a word starts with X" into an exact index match, so search pages walk the index in `_id` order.
 */
export function searchPrefixes (...texts: string[]): string[] {
  const prefixes = new Set<string>()
  for (const word of searchWords(texts.join(' '))) {
    const letters = Array.from(word)
    for (let length = 1; length <= letters.length; length++) prefixes.add(letters.slice(0, length).join(''))
  }
  return [...prefixes]
}
