import t from 'tap'
import { MongoClient } from 'mongodb'
import { collections } from '../../src/db/collections.ts'
import { ensureIndexes } from '../../src/db/indexes.ts'
import { testDatabase } from '../helper.ts'

t.test('ensureIndexes creates the indexes one after another, never two at once, and again changes nothing', async t => {
  const { url } = await testDatabase(t)
  const client = await MongoClient.connect(url, { monitorCommands: true })
  t.teardown(() => client.close())
  let inFlight = 0
  let most = 0
  let sent = 0
  client.on('commandStarted', event => {
    if (event.commandName !== 'createIndexes') return
    sent++
    most = Math.max(most, ++inFlight)
  })
  const ended = (event: { commandName: string }) => { if (event.commandName === 'createIndexes') inFlight-- }
  client.on('commandSucceeded', ended)
  client.on('commandFailed', ended)
  const all = collections(client.db())
  await ensureIndexes(all)
  t.equal(most, 1, 'one createIndexes at a time')
  const created = sent
  t.ok(created >= 9, `${created} indexes`)
  await ensureIndexes(all)
  t.same((await all.songs.listIndexes().toArray()).map(index => index.name).sort(), ['_id_', 'artist_title_unique', 'rating_pending_at'])
})
