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
export async function signUp (app: Pick<TestApp, 'inject' | 'usersRepository'>, { admin = false, username = `user${process.pid}x${++counter}` }: { admin?: boolean, username?: string } = {}): Promise<Account> {
  const password = `pw-${randomBytes(12).toString('base64url')}`
  if (admin) {
    if (!await app.usersRepository.makeAdmin(username, password)) throw new Error(`could not make ${username} an admin`)
  } else {
    const created = await app.inject({ method: 'POST', url: '/users', payload: { username, password } })
    if (created.statusCode !== 201) throw new Error(`sign-up of ${username} answered ${created.statusCode}: ${created.body}`)
  }
  const signedIn = await signIn(app, username, password)
  if (signedIn.statusCode !== 200) throw new Error(`sign-in of ${username} answered ${signedIn.statusCode}: ${signedIn.body}`)
  const { access_token: accessToken, refresh_token: refreshToken } = JSON.parse(signedIn.body) as { access_token: string, refresh_token: string }
  return { id: String(claimsOf(accessToken).sub), username: username.toLowerCase(), password, accessToken, refreshToken, authorization: bearer(accessToken) }
}

/** `POST /auth/token`, answered as it is; `remoteAddress` is the client address sign-in limits count by. */
export function signIn (app: Pick<TestApp, 'inject'>, username: string, password: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/auth/token', payload: { username, password }, remoteAddress })
}

/** `PUT /users/me/password` with the account's access token, answered as it is. */
export function changePassword (app: Pick<TestApp, 'inject'>, accessToken: string, currentPassword: string, newPassword: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'PUT', url: '/users/me/password', headers: bearer(accessToken), payload: { current_password: currentPassword, new_password: newPassword }, remoteAddress })
}

/** Headers for `app.inject` that present the access token. */
export function bearer (accessToken: string): { authorization: string } {
  return { authorization: `Bearer ${accessToken}` }
}

function decoded (part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString()) as Record<string, unknown>
}

/** A JWT's header, read without checking the signature. */
export function headerOf (token: string): Record<string, unknown> {
  return decoded(token.split('.')[0])
}

/** A JWT's claims, read without checking the signature. */
export function claimsOf (token: string): Record<string, unknown> {
  return decoded(token.split('.')[1])
}

/** The token with `patch` over its claims under its own header and signature: what a forger without the secret can send. */
export function withClaims (token: string, patch: Record<string, unknown>): string {
  const [header, , signature] = token.split('.')
  return `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(token), ...patch })).toString('base64url')}.${signature}`
}
