import t from 'tap'
import { parseSongs, readSongFile } from '../../src/db/song-file.ts'
import { SEED_FILE } from '../helper.ts'

const song = { artist: 'A', title: 'B', difficulty: 1.5, level: 2, released: '2020-01-31' }

t.test('the provided seed file is 11 valid songs', async t => {
  const songs = await readSongFile(SEED_FILE)
  t.equal(songs.length, 11)
  t.same(songs[0], { artist: 'The Yousicians', title: 'Lycanthropic Metamorphosis', difficulty: 14.6, level: 13, released: '2016-10-26' })
})

t.test('JSON Lines and a JSON array give the same songs; blank lines are skipped', async t => {
  const lines = `${JSON.stringify(song)}\n\n${JSON.stringify({ ...song, title: 'C' })}\n`
  const array = JSON.stringify([song, { ...song, title: 'C' }])
  t.same(parseSongs(lines), parseSongs(array))
  t.equal(parseSongs(lines).length, 2)
})

t.test('unknown fields are dropped', async t => {
  t.same(parseSongs(JSON.stringify({ ...song, search_prefixes: ['x'], _id: 1 })), [song])
})

t.test('a bad entry rejects the whole file, naming where it is', async t => {
  t.throws(() => parseSongs(`${JSON.stringify(song)}\n{"artist":`, 'songs.json'), /songs\.json line 2: invalid JSON/)
  t.throws(() => parseSongs(JSON.stringify({ ...song, level: 0 }), 'f'), /f line 1: \/level/)
  t.throws(() => parseSongs(JSON.stringify([song, { ...song, released: '2020-13-01' }]), 'f'), /f entry 2: \/released/)
  t.throws(() => parseSongs(JSON.stringify([song, { ...song, artist: '' }]), 'f'), /f entry 2: \/artist/)
  t.throws(() => parseSongs('[1,2', 'f'), /f: invalid JSON/)
  t.throws(() => parseSongs('{"a": 1}', 'f'), /f line 1: \/ /)
})
