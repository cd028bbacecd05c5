import { ObjectId } from 'mongodb'
import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, buildTestAppOn } from '../../helper.ts'
import { deletionWorkDone, giveRatings, moreSongs, summariesMatchStoredRatings } from '../../rated-account.ts'

t.setTimeout(300_000)

t.test('a deletion stopped half-way by a restart is resumed at start and finished, exactly', async t => {
  const app = await buildTestApp(t)
  const songs = await moreSongs(app, 450)
  const user = await signUp(app)
  await giveRatings(app, user.id, songs)
  const userId = new ObjectId(user.id)
  const deleted = await app.inject({ method: 'DELETE', url: '/users/me', headers: user.authorization, payload: { password: user.password } })
  t.equal(deleted.statusCode, 202)
  // The instance stops now: it finishes the batch it is in and gives the job back.
  await app.close()
  const left = await app.database.collections.userRatings.countDocuments({ user_id: userId })
  t.ok(left > 0 && left < songs.length, `stopped half-way: ${songs.length - left} ratings removed, ${left} left`)
  t.match(await app.database.collections.accountDeletions.findOne({ _id: userId }), { owner: null }, 'the job was given back')

  const restarted = await buildTestAppOn(t, app.database)
  await restarted.ready()
  await deletionWorkDone(restarted, userId)
  await summariesMatchStoredRatings(t, restarted, songs, 'after the restart')
})
