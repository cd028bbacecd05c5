import type { FastifyInstance } from 'fastify'
import type { ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import type { FieldError, ProblemError } from '../../lib/problems/problem.ts'
import { TokenPair } from '../../schemas/auth.ts'
import { tokenPairExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponse, problemResponses } from '../../schemas/responses.ts'

/** What a refresh answers: a fresh access token of the user under `sessionVersion`, beside the refresh token. */
export function tokenPair (fastify: FastifyInstance, userId: ObjectId, sessionVersion: number, refreshToken: string): Static<typeof TokenPair> {
  return {
    access_token: fastify.jwt.sign({ sub: userId.toHexString(), session_version: sessionVersion }),
    token_type: 'Bearer',
    expires_in: fastify.config.accessTokenTtlSeconds,
    refresh_token: refreshToken
  }
}

/** What a sign-in or a password change answers: the pair of a new session (a new refresh token family). */
export async function newSession (fastify: FastifyInstance, userId: ObjectId, sessionVersion: number): Promise<Static<typeof TokenPair>> {
  return tokenPair(fastify, userId, sessionVersion, await fastify.refreshTokensRepository.issue(userId, sessionVersion))
}

/** The documented answers of a route that hands out tokens: the pair, or a 401 of its own kind. */
export function tokenPairResponses (description: string, invalid: FieldError, unauthorized: ProblemError, unauthorizedDescription: string) {
  return {
    200: jsonResponse(description, TokenPair, tokenPairExample),
    ...problemResponses(invalid, 413, 415),
    401: problemResponse(401, unauthorized.problem, unauthorizedDescription)
  }
}
