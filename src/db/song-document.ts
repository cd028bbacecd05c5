import { searchPrefixes } from '../lib/search-words.ts'
import type { NewSong } from './song-file.ts'

type Named = Pick<NewSong, 'artist' | 'title'>

/** The search prefixes of a song: every prefix of every word of its artist and title. */
export function searchPrefixesOf ({ artist, title }: Named): string[] {
  return searchPrefixes(artist, title)
}

/** A song as stored: its fields and the search prefixes derived from them. Every write of a song builds it here. */
export function songDocument<T extends NewSong> (song: T): T & { search_prefixes: string[] } {
  return { ...song, search_prefixes: searchPrefixesOf(song) }
}
