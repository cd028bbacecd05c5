import { userNotFound } from '../../lib/problems/accounts.ts'
import { adminExample } from '../../schemas/examples.ts'
import { problemResponse } from '../../schemas/responses.ts'

/** The documented 404 of the admin routes on one user. */
export const userNotFoundResponse = problemResponse(404, userNotFound(adminExample.id).problem, 'No user has this id (`USER_NOT_FOUND`), or it has been deleted.')
