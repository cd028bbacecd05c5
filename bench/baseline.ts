import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { songListPage } from '../src/db/song-list.ts'
import { encodeCursor } from '../src/lib/cursor.ts'
import { SONG_FIELDS, toSong } from '../src/plugins/app/catalog-repository.ts'
import { ref } from '../src/schemas/ref.ts'
import { Song, SongPage } from '../src/schemas/songs.ts'

/** The benchmark's ceiling: a constant JSON answer through the same plugins and hooks as every route. */
export const BASELINE_PATH = '/bench/baseline'

/** The first page of songs without ratings: what a page cost before its items carried them. */
export const PLAIN_PAGE_PATH = '/bench/plain-page'

const BASELINE = { song_id: '000000000000000000000000', average: 3.5, lowest: 1, highest: 5, count: 42 }
const PAGE_SIZE = 20
const PlainPage = Type.Object({ items: Type.Array(ref(Song)), next_cursor: SongPage.properties.next_cursor })

export function addBaselineRoutes (app: FastifyInstance): void {
  app.get(BASELINE_PATH, { config: { cacheControl: 'public, max-age=60' } }, async () => BASELINE)
  // The list route's own read (src/db/song-list.ts), fields and mapping, without the ratings' reads.
  app.get(PLAIN_PAGE_PATH, { config: { cacheControl: 'public, max-age=60' }, schema: { response: { 200: PlainPage } } }, async () => {
    const docs = await songListPage(app.collections, { sort: 'id' }, PAGE_SIZE + 1, undefined, { projection: SONG_FIELDS, maxTimeMS: app.config.mongodbTimeoutMs })
    return {
      items: docs.slice(0, PAGE_SIZE).map(toSong),
      next_cursor: docs.length > PAGE_SIZE ? encodeCursor(docs[PAGE_SIZE - 1]!._id) : null
    }
  })
}
