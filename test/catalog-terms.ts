import type { Collections } from '../src/db/collections.ts'
import { termIdsOf } from '../src/db/search-terms.ts'
import { searchPrefixes } from '../src/lib/search-words.ts'

/**
 * The search terms of a catalog against its songs, worked out from the songs themselves (the prefixes of their
 * artist and title, their order keys): the terms missing (a song some search or list would miss) and those left over.
 */
export async function termsAgainstSongs (collections: Pick<Collections, 'songs' | 'searchTerms'>) {
  const wanted = new Set((await collections.songs.find().toArray()).flatMap(song => termIdsOf({ ...song, search_prefixes: searchPrefixes(song.artist, song.title) })))
  const stored = new Set((await collections.searchTerms.find().toArray()).map(term => term._id).filter(id => !id.startsWith('#')))
  return { missing: [...wanted].filter(id => !stored.has(id)), extra: [...stored].filter(id => !wanted.has(id)) }
}
