import { songExample } from '../../schemas/examples.ts'
import { problemResponse } from '../../schemas/responses.ts'
import { songExists } from '../../lib/problems/catalog.ts'

/** The documented 409 of the admin writes that name a song. */
export const songExistsResponse = problemResponse(409, songExists(songExample.artist, songExample.title).problem,
  'Another song has this artist and title, compared exactly (`SONG_EXISTS`).')
