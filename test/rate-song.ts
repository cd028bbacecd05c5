import { json, type TestApp } from './helper.ts'

/** `POST /songs/rating` of `rating` stars for the song, with the given headers (a bearer token, an idempotency key). */
export function rateSong (app: TestApp, songId: string, rating: number, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/songs/rating', payload: { song_id: songId, rating }, headers })
}

export async function firstSongId (app: TestApp): Promise<string> {
  return json(await app.inject('/songs?limit=1')).items[0].id
}
