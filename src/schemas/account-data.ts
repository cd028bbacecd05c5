import { Type } from 'typebox'
import { UserRating } from './ratings.ts'
import { ref } from './ref.ts'
import { User } from './users.ts'

export const AccountDeletion = Type.Object({
  password: Type.String({ minLength: 1, maxLength: 128, description: 'The account\'s password, to confirm that its owner asks.' })
}, { $id: 'AccountDeletion', additionalProperties: false })

export const AccountExport = Type.Object({
  account: ref(User),
  ratings: Type.Array(ref(UserRating), { description: 'Every rating of the account, the most recently given or changed first.' })
}, { $id: 'AccountExport', additionalProperties: false })
