import { randomBytes } from 'node:crypto'
import type { TestApp } from './helper.ts'

let counter = 0

export interface Account {
  id: string
  username: string
  password: string
  accessToken: string
  refreshToken: string
  /** Headers for `app.inject`: `{ authorization: 'Bearer …' }`. */
  authorization: { authorization: string }
}

/**
 * A new account, signed in: a user through `POST /users`, or an admin made by the repository function
 * `npm run users:create -- --admin` uses. Throws when sign-up or sign-in does not answer as it should.
 */
export async function signUp (app: TestApp, { admin = false, username = `user${process.pid}x${++counter}` }: { admin?: boolean, username?: string } = {}): Promise<Account> {
  const password = `pw-${randomBytes(12).toString('base64url')}`
  if (admin) {
    if (!await app.usersRepository.makeAdmin(username, password)) throw new Error(`could not make ${username} an admin`)
  } else {
    const created = await app.inject({ method: 'POST', url: '/users', payload: { username, password } })
    if (created.statusCode !== 201) throw new Error(`sign-up of ${username} answered ${created.statusCode}: ${created.body}`)
  }
  const signedIn = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password } })
  if (signedIn.statusCode !== 200) throw new Error(`sign-in of ${username} answered ${signedIn.statusCode}: ${signedIn.body}`)
  const { access_token: accessToken, refresh_token: refreshToken } = JSON.parse(signedIn.body) as { access_token: string, refresh_token: string }
  const { sub } = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string }
  return { id: sub, username: username.toLowerCase(), password, accessToken, refreshToken, authorization: { authorization: `Bearer ${accessToken}` } }
}
