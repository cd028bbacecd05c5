import { readFile } from 'node:fs/promises'
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { songFields } from '../schemas/songs.ts'

/** One catalog entry as seed files and imports carry it (the provided `songs.json` format). */
export const NewSongSchema = Type.Object(songFields)

export type NewSong = Static<typeof NewSongSchema>

const newSong = Compile(NewSongSchema)

/**
 * Parses a catalog given as JSON Lines or as one JSON array and checks every entry, so a bad file
 * is rejected whole, naming the entry, before anything is written.
 */
export function parseSongs (text: string, source = 'input'): NewSong[] {
  const entries: { where: string, value: unknown }[] = []
  if (text.trimStart().startsWith('[')) {
    const values: unknown = parseJson(text, source)
    if (!Array.isArray(values)) throw new Error(`${source}: expected a JSON array of songs`)
    values.forEach((value, index) => entries.push({ where: `${source} entry ${index + 1}`, value }))
  } else {
    text.split('\n').forEach((line, index) => {
      const where = `${source} line ${index + 1}`
      if (line.trim() !== '') entries.push({ where, value: parseJson(line, where) })
    })
  }
  return entries.map(({ where, value }) => {
    if (!newSong.Check(value)) {
      const [first] = newSong.Errors(value)
      throw new Error(`${where}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not a song'}`)
    }
    const { artist, title, difficulty, level, released } = value
    return { artist, title, difficulty, level, released }
  })
}

export async function readSongFile (path: string): Promise<NewSong[]> {
  return parseSongs(await readFile(path, 'utf8'), path)
}

function parseJson (text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new Error(`${where}: invalid JSON (${(error as Error).message})`)
  }
}
