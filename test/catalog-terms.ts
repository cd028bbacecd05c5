import type { Collections } from '../src/db/collections.ts'
import { searchPrefixes } from '../src/lib/search-words.ts'

/**
 * The search terms of a catalog against its songs' prefixes, worked out from the songs themselves: the terms
 * missing (a song some search would miss) and those left over.
 */
export async function termsAgainstSongs (collections: Pick<Collections, 'songs' | 'searchTerms'>) {
  const wanted = new Set((await collections.songs.find().toArray()).flatMap(song => searchPrefixes(song.artist, song.title).map(prefix => `${prefix} ${song._id.toHexString()}`)))
  const stored = new Set((await collections.searchTerms.find().toArray()).map(term => term._id).filter(id => !id.startsWith('#')))
  return { missing: [...wanted].filter(id => !stored.has(id)), extra: [...stored].filter(id => !wanted.has(id)) }
}
