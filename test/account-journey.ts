import { ObjectId } from 'mongodb'
import type { Test } from 'tap'
import type { Collections } from '../src/db/collections.ts'

export const JOURNEY_PASSWORD = 'a password that must never be logged or traced'
export const JOURNEY_NEW_PASSWORD = 'the next password, never logged or traced either'

/**
 * Goes through every account route against a running server (sign-up, a taken name, a failed and a good sign-in,
 * refresh, a reused refresh token, a rating and a read as the user, a bad token, sign-out, a wrong and a right
 * password change, sign-out everywhere, a refresh of the ended session, a last sign-in and sign-out), checking each answer,
 * and returns every secret the run handled by name (the password, its hash, the tokens and their hashes, and
 * `jwtSecret`) and how many requests it made. The tests of what the server writes (logs, spans) look for each secret.
 */
export async function accountJourney (t: Test, base: string, collections: Collections, jwtSecret: string): Promise<{ secrets: Record<string, string>, requests: number }> {
  let requests = 0
  const fetch = (url: string, init?: RequestInit) => {
    requests++
    return globalThis.fetch(url, init)
  }
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const username = `journey${process.pid}`

  t.equal((await post('/users', { username, password: JOURNEY_PASSWORD })).status, 201, 'sign-up')
  t.equal((await post('/users', { username, password: JOURNEY_PASSWORD })).status, 409, 'a taken name')
  t.equal((await post('/auth/token', { username, password: `${JOURNEY_PASSWORD}?` })).status, 401, 'a failed sign-in')
  t.equal((await post('/users', { username: 'x', password: JOURNEY_PASSWORD })).status, 400, 'a rejected sign-up')
  const signedIn = await post('/auth/token', { username, password: JOURNEY_PASSWORD })
  t.equal(signedIn.status, 200, 'sign-in')
  const first = await signedIn.json() as { access_token: string, refresh_token: string }
  const refreshed = await post('/auth/refresh', { refresh_token: first.refresh_token })
  t.equal(refreshed.status, 200, 'refresh')
  const second = await refreshed.json() as { access_token: string, refresh_token: string }
  t.equal((await post('/auth/refresh', { refresh_token: first.refresh_token })).status, 401, 'a reused refresh token')
  const asUser = { authorization: `Bearer ${second.access_token}` }
  const songs = await (await fetch(`${base}/songs?limit=1`)).json() as { items: Array<{ id: string }> }
  t.equal((await post('/songs/rating', { song_id: songs.items[0]!.id, rating: 5 }, asUser)).status, 201, 'a rating as the user')
  t.equal((await fetch(`${base}/users/me`, { headers: asUser })).status, 200, 'an authenticated request')
  t.equal((await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${second.access_token}x` } })).status, 401, 'a bad token')
  t.equal((await post('/auth/logout', { refresh_token: second.refresh_token })).status, 204, 'sign-out')
  const put = (path: string, body: object, accessToken: string) =>
    fetch(base + path, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify(body) })
  t.equal((await put('/users/me/password', { current_password: `${JOURNEY_PASSWORD}?`, new_password: JOURNEY_NEW_PASSWORD }, second.access_token)).status, 401, 'a wrong current password')
  const changed = await put('/users/me/password', { current_password: JOURNEY_PASSWORD, new_password: JOURNEY_NEW_PASSWORD }, second.access_token)
  t.equal(changed.status, 200, 'a password change')
  const third = await changed.json() as { access_token: string, refresh_token: string }
  t.equal((await post('/auth/logout-all', {}, { authorization: `Bearer ${third.access_token}` })).status, 204, 'sign-out everywhere')
  t.equal((await post('/auth/refresh', { refresh_token: third.refresh_token })).status, 401, 'a refresh token of an ended session')
  const fourth = await (await post('/auth/token', { username, password: JOURNEY_NEW_PASSWORD })).json() as { access_token: string, refresh_token: string }
  t.equal((await post('/auth/logout', { refresh_token: fourth.refresh_token })).status, 204, 'sign-out of a live session')

  const user = await collections.users.findOne({ username })
  const hashes = await collections.refreshTokens.find({ user_id: new ObjectId(user!._id) }).toArray()
  const secrets: Record<string, string> = {
    password: JOURNEY_PASSWORD,
    'password hash': user!.password_hash,
    'password hash salt and digest': user!.password_hash.split('$').slice(-2).join('$'),
    'first access token': first.access_token,
    'signature of the access token': first.access_token.split('.')[2]!,
    'second access token': second.access_token,
    'first refresh token': first.refresh_token,
    'second refresh token': second.refresh_token,
    'new password': JOURNEY_NEW_PASSWORD,
    'access token of the password change': third.access_token,
    'refresh token of the password change': third.refresh_token,
    'last access token': fourth.access_token,
    'last refresh token': fourth.refresh_token,
    JWT_SECRET: jwtSecret
  }
  for (const hash of hashes) secrets[`refresh token hash ${hash.generation}`] = hash._id
  return { secrets, requests }
}
