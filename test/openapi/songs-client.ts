import createClient from 'openapi-fetch'
import type { components, paths } from '../../openapi/schema.d.ts'

export type Song = components['schemas']['Song']

/** A typed songs-api client: openapi-fetch with the types openapi-typescript generated from openapi/openapi.json. */
export function songsClient (baseUrl: string) {
  const client = createClient<paths>({ baseUrl })

  /** Every song, following `next_cursor` page after page. */
  async function * allSongs (limit: number): AsyncGenerator<Song[]> {
    let cursor: string | undefined
    do {
      const { data, error } = await client.GET('/songs', { params: { query: { limit, cursor } } })
      if (error) throw new Error(`${error.code}: ${error.detail}`)
      yield data.items
      cursor = data.next_cursor ?? undefined
    } while (cursor !== undefined)
  }

  return { ...client, allSongs }
}
