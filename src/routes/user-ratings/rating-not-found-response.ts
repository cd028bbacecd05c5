import { problemResponse } from '../../schemas/responses.ts'
import { SONG_ID_EXAMPLE } from '../../schemas/examples.ts'
import { ratingNotFound } from '../../lib/problems/catalog.ts'

/** The documented 404 of the routes that read or remove one of the caller's ratings. */
export const ratingNotFoundResponse = problemResponse(404, ratingNotFound(SONG_ID_EXAMPLE).problem,
  'The caller has no rating of this song (`RATING_NOT_FOUND`), or no song has this id.')
