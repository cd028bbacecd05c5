import { lastAdmin } from '../../lib/problems/accounts.ts'
import { problemResponse } from '../../schemas/responses.ts'

/** The documented 409 of the changes that may take an admin away. */
export const lastAdminResponse = problemResponse(409, lastAdmin().problem,
  'The change would leave no enabled admin (`LAST_ADMIN`): the last admin cannot demote, disable or delete themselves.')
